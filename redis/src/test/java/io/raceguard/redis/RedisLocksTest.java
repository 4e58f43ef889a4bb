package io.raceguard.redis;

import io.raceguard.lock.LockManager;
import io.raceguard.testing.LockManagerContract;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;

/**
 * {@link RedisLocks} passes the lock contract on the machine's shared Redis, waiting by backoff
 * alone and with release notifications; {@link RedisClusterLocksTest} runs it on a Redis Cluster.
 */
final class RedisLocksTest {

    private static RedisTarget redis;

    @BeforeAll
    static void connect() {
        redis = RedisTarget.shared(RedisLocksTest.class);
    }

    @AfterAll
    static void disconnect() throws Exception {
        if (redis != null) {
            redis.close();
        }
    }

    @Nested
    final class WaitingByBackoff extends LockManagerContract {
        private final OwnThreads threads = new OwnThreads();
        private LockManager locks;

        @BeforeEach
        void open() {
            locks = RedisLocks.builder(redis.client()).keyPrefix(redis.prefix()).build();
        }

        @AfterEach
        void closeAndCheck() throws InterruptedException {
            locks.close();
            threads.assertAllEnded();
            redis.assertNothingOutlivesItsTtl(RedisLockBackendCases.LONG_TTL);
        }

        @Override
        protected LockManager locks() {
            return locks;
        }
    }

    @Nested
    final class WakingOnRelease extends LockManagerContract {
        private final OwnThreads threads = new OwnThreads();
        private LockManager locks;

        @BeforeEach
        void open() {
            locks = RedisLocks.builder(redis.client()).keyPrefix(redis.prefix()).releaseNotifications(true).build();
        }

        @AfterEach
        void closeAndCheck() throws InterruptedException {
            locks.close();
            threads.assertAllEnded();
            redis.assertNothingOutlivesItsTtl(RedisLockBackendCases.LONG_TTL);
        }

        @Override
        protected LockManager locks() {
            return locks;
        }
    }
}
