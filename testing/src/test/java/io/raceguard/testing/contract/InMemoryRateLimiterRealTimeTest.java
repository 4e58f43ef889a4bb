package io.raceguard.testing.contract;

import io.raceguard.limit.InMemoryRateLimiter;
import io.raceguard.limit.RateLimit;
import io.raceguard.limit.RateLimiter;
import io.raceguard.testing.contract.RateLimiterContract;

/**
 * The kit as a backend on a server's clock meets it: the system ticker and real sleeps. Shows that
 * the waiting tests hold however late each call runs, before the Redis and SQL backends rely on it.
 */
final class InMemoryRateLimiterRealTimeTest extends RateLimiterContract {

    @Override
    protected RateLimiter rateLimiter(RateLimit policy) {
        return InMemoryRateLimiter.create(policy);
    }
}
