package io.raceguard.internal;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The pauses of every retry loop in the library (waiting for a busy lock, retrying a transaction or
 * a statement that lost a race): exponential growth with jitter. The ceiling of pause {@code n} is
 * {@code min(max, min * 2^n)}; the pause is drawn uniformly between {@code min} and that ceiling, so
 * callers that collided once spread out instead of colliding again. Not API: builders take the two
 * durations and build this.
 *
 * <p>Immutable and thread-safe.
 */
public final class Backoff {

    private final Duration min;
    private final Duration max;
    private final long minNanos;
    private final long maxNanos;

    /**
     * @param min the smallest pause
     * @param max the largest pause
     * @throws NullPointerException if a duration is null
     * @throws IllegalArgumentException if either is not a positive duration of at least 1 ms (see
     *     {@link Inputs#requirePositive(Duration, String)}), or {@code max < min}
     */
    public Backoff(Duration min, Duration max) {
        Inputs.requirePositive(min, "min");
        Inputs.requirePositive(max, "max");
        if (max.compareTo(min) < 0) {
            throw new IllegalArgumentException("max must be >= min (" + min + "), was " + max);
        }
        this.min = min;
        this.max = max;
        this.minNanos = min.toNanos();
        this.maxNanos = max.toNanos();
    }

    /**
     * @param pausesBefore how many pauses came before this one, from zero
     * @param remainingNanos the time left to wait, positive; the pause never exceeds it
     * @return the pause in nanoseconds
     */
    public long pauseNanos(int pausesBefore, long remainingNanos) {
        long pause = minNanos + ThreadLocalRandom.current().nextLong(ceilingNanos(pausesBefore) - minNanos + 1);
        return Math.min(pause, remainingNanos);
    }

    private long ceilingNanos(int pausesBefore) {
        int doublings = Math.min(Math.max(pausesBefore, 0), Long.SIZE - 2);
        // min << doublings would overflow exactly when it would exceed max anyway
        if (minNanos > maxNanos >> doublings) {
            return maxNanos;
        }
        return Math.min(maxNanos, minNanos << doublings);
    }

    /** @return the smallest pause */
    public Duration min() {
        return min;
    }

    /** @return the largest pause */
    public Duration max() {
        return max;
    }

    @Override
    public String toString() {
        return "Backoff[" + min + ".." + max + "]";
    }
}
