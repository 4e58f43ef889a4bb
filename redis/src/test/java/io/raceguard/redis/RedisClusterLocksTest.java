package io.raceguard.redis;

import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link RedisLocks} passes the lock contract on a private 3-master Redis Cluster, release notifications on. */
final class RedisClusterLocksTest extends RedisLockManagerCases {

    @RegisterExtension
    static final RedisTarget CLUSTER = RedisTarget.privateCluster();

    @Override
    RedisTarget target() {
        return CLUSTER;
    }

    @Override
    boolean releaseNotifications() {
        return true;
    }
}
