package io.raceguard.redis;

import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link RedisRateLimiter} passes the rate-limiter contract on a private 3-master Redis Cluster. */
final class RedisClusterRateLimiterTest extends RedisRateLimiterCases {

    @RegisterExtension
    static final RedisTarget CLUSTER = RedisTarget.privateCluster();

    @Override
    RedisTarget target() {
        return CLUSTER;
    }
}
