package io.raceguard.redis;

import org.junit.jupiter.api.extension.RegisterExtension;

/** Fenced writes on a private 3-master Redis Cluster. */
final class RedisClusterFencedWritesTest extends RedisFencedWritesCases {

    @RegisterExtension
    static final RedisTarget REDIS = RedisTarget.privateCluster();

    @Override
    RedisTarget target() {
        return REDIS;
    }
}
