package io.raceguard.redis;

import io.raceguard.lock.LockManager;
import io.raceguard.testing.LockManagerContract;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/** {@link RedisLocks} passes the lock contract on a private 3-master Redis Cluster, release notifications on. */
final class RedisClusterLocksTest extends LockManagerContract {

    private static RedisTarget cluster;
    private final OwnThreads threads = new OwnThreads();
    private LockManager locks;

    @BeforeAll
    static void startCluster() {
        cluster = RedisTarget.cluster(RedisClusterLocksTest.class);
    }

    @AfterAll
    static void stopCluster() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    @BeforeEach
    void open() {
        locks = RedisLocks.builder(cluster.client()).keyPrefix(cluster.prefix()).releaseNotifications(true).build();
    }

    @AfterEach
    void closeAndCheck() throws InterruptedException {
        locks.close();
        threads.assertAllEnded();
        cluster.assertNothingOutlivesItsTtl(RedisLockBackendCases.LONG_TTL);
    }

    @Override
    protected LockManager locks() {
        return locks;
    }
}
