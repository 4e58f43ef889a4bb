package io.raceguard.jdbc;

import io.raceguard.event.RetryCause;

/** Names the cause of a retried transaction for its event, from the failure's classification. */
final class RetryCauses {

    private RetryCauses() {}

    /**
     * @param retried a failure {@link LostRace#ofTransaction} let be retried
     * @return its cause; a lock that was not available counts as a lock timeout
     */
    static RetryCause of(Exception retried) {
        SqlFailure failure = SqlFailure.classify(retried);
        if (failure instanceof SqlFailure.SerializationConflict) {
            return RetryCause.SERIALIZATION;
        }
        if (failure instanceof SqlFailure.Deadlock) {
            return RetryCause.DEADLOCK;
        }
        return RetryCause.LOCK_TIMEOUT;
    }
}
