package io.raceguard.redis;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link RedisLocks} passes the lock contract on the machine's shared Redis, waiting by backoff
 * alone and with release notifications; {@link RedisClusterLocksTest} runs it on a Redis Cluster.
 */
final class RedisLocksTest {

    @RegisterExtension
    static final RedisTarget REDIS = RedisTarget.sharedServer();

    @Nested
    final class WaitingByBackoff extends RedisLockManagerCases {
        @Override
        RedisTarget target() {
            return REDIS;
        }

        @Override
        boolean releaseNotifications() {
            return false;
        }
    }

    @Nested
    final class WakingOnRelease extends RedisLockManagerCases {
        @Override
        RedisTarget target() {
            return REDIS;
        }

        @Override
        boolean releaseNotifications() {
            return true;
        }
    }
}
