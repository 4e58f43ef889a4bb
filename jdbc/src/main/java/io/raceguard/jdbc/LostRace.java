package io.raceguard.jdbc;

import java.util.function.Predicate;

/**
 * The one rule for a failure that means a concurrent transaction won and ours was rolled back whole,
 * without effect, so that running the same work again is safe: a serialization conflict or a deadlock.
 * Never a commit whose outcome is unknown, nor any other fault (a lost connection may have left the
 * work applied).
 *
 * <p>Two widenings, each only where it holds:
 * <ul>
 *   <li>{@link #ofTransaction(boolean) ofTransaction(true)}: a lock timeout too, for the whole
 *       transactions of {@link Transactions} whose caller asked for it;
 *   <li>{@link #OF_STORE_STATEMENT}: a unique violation too, for the single autocommit statements of the
 *       stores, where it is the insert a racing statement beat (H2's {@code MERGE}): the statement
 *       inserted nothing, and run again it takes the update path.
 * </ul>
 *
 * <p>Immutable and thread-safe.
 */
final class LostRace implements Predicate<Throwable> {

    /** For one autocommit statement of a store, run by {@link StoreStatements}. */
    static final LostRace OF_STORE_STATEMENT = new LostRace(false, true);

    private static final LostRace OF_TRANSACTION = new LostRace(false, false);
    private static final LostRace OF_TRANSACTION_OR_LOCK_TIMEOUT = new LostRace(true, false);

    private final boolean lockTimeouts;
    private final boolean racingInserts;

    private LostRace(boolean lockTimeouts, boolean racingInserts) {
        this.lockTimeouts = lockTimeouts;
        this.racingInserts = racingInserts;
    }

    /**
     * @param lockTimeouts whether a lock timeout counts as a lost race too
     * @return the rule for a whole transaction
     */
    static LostRace ofTransaction(boolean lockTimeouts) {
        return lockTimeouts ? OF_TRANSACTION_OR_LOCK_TIMEOUT : OF_TRANSACTION;
    }

    @Override
    public boolean test(Throwable failure) {
        if (failure instanceof CommitOutcomeUnknownException) {
            return false;
        }
        SqlFailure kind = SqlFailure.classify(failure);
        return kind instanceof SqlFailure.SerializationConflict
                || kind instanceof SqlFailure.Deadlock
                || (lockTimeouts && kind instanceof SqlFailure.LockTimeout)
                || (racingInserts && kind instanceof SqlFailure.UniqueViolation);
    }
}
