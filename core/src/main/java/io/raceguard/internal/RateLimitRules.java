package io.raceguard.internal;

import static io.raceguard.internal.Inputs.requireKey;

import io.raceguard.limit.RateLimit;

/**
 * What every {@link io.raceguard.limit.RateLimiter} backend checks on
 * {@link io.raceguard.limit.RateLimiter#tryAcquire(String, long) tryAcquire} before any effect, so that
 * one request is refused alike, in the same words, in memory, in a database and in Redis. The decision
 * itself (the arithmetic of the package documentation of {@code io.raceguard.limit}) stays in each
 * backend's atomic step.
 *
 * <p>Stateless and thread-safe.
 */
public final class RateLimitRules {

    private RateLimitRules() {}

    /**
     * @param limit the policy the limiter enforces
     * @param key whose budget to charge
     * @param permits the permits asked for
     * @throws NullPointerException if {@code key} is null
     * @throws IllegalArgumentException if the key is invalid or {@code permits} is not in {@code 1..limit}
     */
    public static void requireAcquire(RateLimit limit, String key, long permits) {
        requireKey(key, "key");
        if (permits < 1 || permits > limit.limit()) {
            throw new IllegalArgumentException("permits must be in 1.." + limit.limit() + ", was " + permits);
        }
    }
}
