package io.raceguard.redis;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The fenced writes on a private 3-master Redis Cluster. */
final class RedisClusterFencedWritesTest extends RedisFencedWritesCases {

    private static RedisTarget cluster;

    @BeforeAll
    static void startCluster() {
        cluster = RedisTarget.cluster(RedisClusterFencedWritesTest.class);
    }

    @AfterAll
    static void stopCluster() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Override
    RedisTarget target() {
        return cluster;
    }
}
