package io.raceguard.redis;

import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link RedisCounters} passes the counters contract on a private 3-master Redis Cluster. */
final class RedisClusterCountersTest extends RedisCountersCases {

    @RegisterExtension
    static final RedisTarget CLUSTER = RedisTarget.privateCluster();

    @Override
    RedisTarget target() {
        return CLUSTER;
    }
}
