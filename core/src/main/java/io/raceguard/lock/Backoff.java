package io.raceguard.lock;

import java.util.concurrent.ThreadLocalRandom;

/**
 * Pauses between attempts to take a busy lock: exponential growth with full jitter. The ceiling of
 * attempt {@code n} is {@code min(max, min * 2^n)}; the pause is drawn uniformly between {@code min}
 * and that ceiling, so waiters that collided once spread out instead of colliding again. Immutable.
 *
 * @param minNanos the smallest pause, positive
 * @param maxNanos the largest pause, at least {@code minNanos}
 */
record Backoff(long minNanos, long maxNanos) {

    /**
     * @param attempt how many attempts have failed before this pause, from zero
     * @param remainingNanos the wait time left, positive; the pause never exceeds it
     * @return the pause in nanoseconds
     */
    long pauseNanos(int attempt, long remainingNanos) {
        long pause = minNanos + ThreadLocalRandom.current().nextLong(ceilingNanos(attempt) - minNanos + 1);
        return Math.min(pause, remainingNanos);
    }

    private long ceilingNanos(int attempt) {
        int doublings = Math.min(attempt, Long.SIZE - 2);
        // min << doublings would overflow exactly when it would exceed max anyway
        if (minNanos > maxNanos >> doublings) {
            return maxNanos;
        }
        return Math.min(maxNanos, minNanos << doublings);
    }
}
