package io.raceguard.redis;

import io.raceguard.internal.Inputs;
import io.raceguard.lock.LockManagerBuilder;
import java.time.Duration;

/**
 * The pauses between attempts while waiting for a busy lock, checked when a builder is given them.
 *
 * @param min the first pause, positive
 * @param max the longest pause, at least {@code min}
 */
record Backoff(Duration min, Duration max) {

    /**
     * @throws NullPointerException if a duration is null
     * @throws IllegalArgumentException if {@code min} is not positive or {@code max < min}
     */
    Backoff {
        Inputs.requirePositive(min, "min");
        Inputs.requirePositive(max, "max");
        if (max.compareTo(min) < 0) {
            throw new IllegalArgumentException("max must be >= min, was " + max + " < " + min);
        }
    }

    /**
     * @param backoff the chosen backoff, or null to keep the engine's default
     * @param engine the lock engine's builder
     * @return {@code engine}
     */
    static LockManagerBuilder applyTo(Backoff backoff, LockManagerBuilder engine) {
        return backoff == null ? engine : engine.backoff(backoff.min(), backoff.max());
    }
}
