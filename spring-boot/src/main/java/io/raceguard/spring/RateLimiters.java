package io.raceguard.spring;

import io.raceguard.limit.RateLimit;
import io.raceguard.limit.RateLimiter;

/**
 * Makes {@link RateLimiter}s on the auto-configured backend. Limiters made for the same policy share
 * their budgets by key on a shared backend, so give each use its own key space. Thread-safe.
 */
@FunctionalInterface
public interface RateLimiters {

    /**
     * @param limit the policy
     * @return a limiter enforcing it on the backend
     * @throws NullPointerException if {@code limit} is null
     */
    RateLimiter create(RateLimit limit);
}
