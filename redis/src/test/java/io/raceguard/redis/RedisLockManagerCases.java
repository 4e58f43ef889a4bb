package io.raceguard.redis;

import io.raceguard.lock.LockManager;
import io.raceguard.testing.contract.LockManagerContract;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * The lock contract on {@link RedisLocks}, plus what every Redis test checks afterwards: no thread
 * left running after {@code close()}, no key left beyond its ttl.
 */
abstract class RedisLockManagerCases extends LockManagerContract {

    private final OwnThreads threads = new OwnThreads();
    private LockManager locks;

    /** @return the Redis of the subclass */
    abstract RedisTarget target();

    /** @return whether the manager under test publishes releases and wakes waiters on them */
    abstract boolean releaseNotifications();

    @BeforeEach
    void open() {
        locks = RedisLocks.builder(target().client())
                .keyPrefix(target().prefix())
                .releaseNotifications(releaseNotifications())
                .build();
    }

    @AfterEach
    void closeAndCheck() throws InterruptedException {
        locks.close();
        threads.assertAllEnded();
        target().assertNothingOutlivesItsTtl(RedisLockBackendCases.LONG_TTL);
    }

    @Override
    protected LockManager locks() {
        return locks;
    }
}
