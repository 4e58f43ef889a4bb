package io.raceguard.redis;

import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link RedisIdempotencyStore} passes the idempotency store contract on a private 3-master Redis Cluster. */
final class RedisClusterIdempotencyStoreTest extends RedisIdempotencyStoreCases {

    @RegisterExtension
    static final RedisTarget CLUSTER = RedisTarget.privateCluster();

    @Override
    RedisTarget target() {
        return CLUSTER;
    }
}
