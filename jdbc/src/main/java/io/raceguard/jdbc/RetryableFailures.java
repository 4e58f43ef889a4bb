package io.raceguard.jdbc;

import java.util.function.Predicate;

/**
 * Which failures of a whole transaction are worth running it again for: serialization conflicts and
 * deadlocks always, lock timeouts when asked. Never an unknown commit outcome.
 */
final class RetryableFailures implements Predicate<Throwable> {

    private final boolean lockTimeouts;

    RetryableFailures(boolean lockTimeouts) {
        this.lockTimeouts = lockTimeouts;
    }

    @Override
    public boolean test(Throwable failure) {
        if (failure instanceof CommitOutcomeUnknownException) {
            return false;
        }
        SqlFailure kind = SqlFailure.classify(failure);
        return kind instanceof SqlFailure.SerializationConflict
                || kind instanceof SqlFailure.Deadlock
                || (lockTimeouts && kind instanceof SqlFailure.LockTimeout);
    }
}
