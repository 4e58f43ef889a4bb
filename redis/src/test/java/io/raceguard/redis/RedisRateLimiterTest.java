package io.raceguard.redis;

import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link RedisRateLimiter} passes the rate-limiter contract on the machine's shared Redis server. */
final class RedisRateLimiterTest extends RedisRateLimiterCases {

    @RegisterExtension
    static final RedisTarget REDIS = RedisTarget.sharedServer();

    @Override
    RedisTarget target() {
        return REDIS;
    }
}
