package io.raceguard.limit;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * The answer of a {@link RateLimiter}. Immutable and thread-safe.
 *
 * @param allowed whether the permits were granted (and counted)
 * @param remaining permits still available now after this decision, {@code >= 0}
 * @param retryAfter zero when allowed; otherwise how long until the same request could be allowed
 */
public record RateLimitDecision(boolean allowed, long remaining, Duration retryAfter) {

    /**
     * @throws NullPointerException if {@code retryAfter} is null
     * @throws IllegalArgumentException if {@code remaining} or {@code retryAfter} is negative
     */
    public RateLimitDecision {
        requireNonNull(retryAfter, "retryAfter");
        if (remaining < 0) {
            throw new IllegalArgumentException("remaining must be >= 0, was " + remaining);
        }
        if (retryAfter.isNegative()) {
            throw new IllegalArgumentException("retryAfter must not be negative, was " + retryAfter);
        }
    }
}
