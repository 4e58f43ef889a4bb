package io.raceguard.testing.contract;

import io.raceguard.lock.InMemoryLocks;
import io.raceguard.lock.LockManager;
import io.raceguard.testing.contract.LockManagerContract;
import org.junit.jupiter.api.AfterEach;

/** The lock contract on {@link InMemoryLocks}, on the system ticker. */
final class InMemoryLocksTest extends LockManagerContract {

    private final LockManager locks = InMemoryLocks.create();

    @AfterEach
    void closeLocks() {
        locks.close();
    }

    @Override
    protected LockManager locks() {
        return locks;
    }
}
