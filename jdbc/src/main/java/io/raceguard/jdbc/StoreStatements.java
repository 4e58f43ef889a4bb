package io.raceguard.jdbc;

import io.raceguard.BackendException;
import java.sql.Connection;
import io.raceguard.internal.Backoff;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;

/**
 * Runs the statements of one store operation on a handle of its own (a connection of its own from
 * the {@link Jdbi}, even when called inside a caller's Jdbi callback), in autocommit mode, so each
 * statement is its own transaction, and translates database faults into {@link BackendException}.
 * A connection that a pool hands out with autocommit off is committed once the operation returns
 * (rolled back if it throws), so nothing it wrote is left for the pool to roll back.
 *
 * <p>A statement the database refused because a concurrent transaction won (a deadlock, a
 * serialization conflict, or on H2 the duplicate a racing {@code MERGE} insert meets) was rolled back
 * whole and had no effect, so it is run again, up to {@value #MAX_ATTEMPTS} times, after a random pause
 * of a few milliseconds that grows with each attempt ({@link Backoff}, 1 ms to 64 ms). Anything else
 * is never retried: a lost connection may have left the statement applied or not.
 *
 * <p>Immutable and thread-safe.
 */
final class StoreStatements {

    static final int MAX_ATTEMPTS = 10;
    private static final Backoff CONFLICT_BACKOFF = new Backoff(Duration.ofMillis(1), Duration.ofMillis(64));

    private final Jdbi jdbi;

    StoreStatements(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /**
     * @param what what the operation does, for the exception message (never a key or a payload)
     * @param work the operation; it may run several times, each time on a fresh handle
     * @return what {@code work} returned
     * @throws BackendException if the database failed, or kept refusing the operation for conflicts
     */
    <T> T run(String what, Operation<T> work) {
        try {
            return retryingLostRaces(what, () -> {
                // jdbi.open(), not withHandle: inside a caller's Jdbi callback withHandle lends the caller's
                // handle, and the commit below would then commit the caller's transaction
                try (Handle handle = jdbi.open()) {
                    return committed(handle, work);
                }
            });
        } catch (JdbiException | SQLException failure) {
            throw new BackendException(what + " failed", failure);
        }
    }

    /**
     * Runs a self-contained transaction, and runs it again while it loses a race ({@link LostRace#OF_STORE_STATEMENT}),
     * up to {@value #MAX_ATTEMPTS} attempts in all, pausing a little longer before each.
     *
     * @param what what the transaction does, for the exception message (never a key or a payload)
     * @param transaction one attempt; it must begin and end its own transaction, so that a lost race
     *     left nothing of it behind
     * @return what the first attempt that did not lose returned
     * @throws X the last attempt's failure, unchanged
     * @throws BackendException if the thread was interrupted during a pause
     */
    static <T, X extends Exception> T retryingLostRaces(String what, Attempt<T, X> transaction) throws X {
        for (int attempt = 1; ; attempt++) {
            try {
                return transaction.run();
            } catch (Exception failure) {
                if (attempt >= MAX_ATTEMPTS || !LostRace.OF_STORE_STATEMENT.test(failure)) {
                    throw failure;
                }
                pause(attempt, what, failure);
            }
        }
    }

    /**
     * Runs an operation on the caller's handle, inside the caller's transaction: never retried, since
     * a conflict there rolls back (or poisons) the caller's whole transaction, whose retry is the
     * caller's to decide.
     *
     * @throws BackendException if the database failed; {@link SqlFailure#classify} still sees the cause
     */
    static <T> T runJoined(String what, Handle handle, Operation<T> work) {
        try {
            return work.apply(handle);
        } catch (JdbiException | SQLException failure) {
            throw new BackendException(what + " failed", failure);
        }
    }

    private static <T> T committed(Handle handle, Operation<T> work) throws SQLException {
        Connection connection = handle.getConnection();
        if (connection.getAutoCommit()) {
            return work.apply(handle);
        }
        try {
            T result = work.apply(handle);
            connection.commit();
            return result;
        } catch (SQLException | RuntimeException failure) {
            try {
                connection.rollback();
            } catch (SQLException rollbackFailure) {
                failure.addSuppressed(rollbackFailure);
            }
            throw failure;
        }
    }

    /** One attempt of a self-contained transaction. */
    @FunctionalInterface
    interface Attempt<T, X extends Exception> {
        T run() throws X;
    }

    /** The statements of one operation, on Jdbi or straight on {@link Handle#getConnection()}. */
    @FunctionalInterface
    interface Operation<T> {
        T apply(Handle handle) throws SQLException;
    }

    private static void pause(int attempt, String what, Exception failure) {
        try {
            TimeUnit.NANOSECONDS.sleep(CONFLICT_BACKOFF.pauseNanos(attempt, Long.MAX_VALUE));
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            BackendException stopped = new BackendException(what + " was interrupted while retrying a conflict",
                    failure);
            stopped.addSuppressed(interrupted);
            throw stopped;
        }
    }
}
