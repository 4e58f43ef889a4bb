package io.raceguard.jdbc;

import io.raceguard.BackendException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jdbi.v3.core.Handle;

/**
 * Runs a statement that may fail as part of an expected outcome behind a savepoint, so that the
 * failure leaves the enclosing transaction usable (PostgreSQL would otherwise refuse every later
 * statement with 25P02). The savepoint is released on both paths, so repeated calls in one
 * transaction do not pile up nested savepoints (subtransactions, on PostgreSQL).
 *
 * <p>A failure that ends the whole transaction (a deadlock or a serialization conflict) is thrown
 * without touching the savepoint: MariaDB, MySQL and H2 have already rolled the transaction back,
 * savepoint included, and on every database the transaction has to run again from its start.
 *
 * <p>JDBC savepoints on the handle's connection rather than Jdbi's named ones: Jdbi forgets a
 * savepoint once it is rolled back to, and then refuses to release it.
 */
final class Savepoints {

    private static final LostRace ENDS_TRANSACTION = LostRace.ofTransaction(false);

    private Savepoints() {}

    /**
     * @param handle a handle with an open transaction
     * @param work the statement to run
     * @param recover maps the failure of {@code work}, after the savepoint was rolled back, to a
     *     result, or throws; never called for a failure that ended the transaction
     * @return the result of {@code work}, or of {@code recover}
     * @throws BackendException if the savepoint cannot be set, rolled back or released
     */
    static <T> T attempt(Handle handle, Supplier<T> work, Function<RuntimeException, T> recover) {
        Connection connection = handle.getConnection();
        Savepoint savepoint;
        try {
            savepoint = connection.setSavepoint();
        } catch (SQLException e) {
            throw new BackendException("could not set a savepoint", e);
        }
        T result;
        try {
            result = work.get();
        } catch (RuntimeException failure) {
            if (endsTransaction(failure)) {
                throw failure;
            }
            try {
                connection.rollback(savepoint);
                connection.releaseSavepoint(savepoint);
            } catch (SQLException rollbackFailure) {
                failure.addSuppressed(rollbackFailure);
                throw failure;
            }
            return recover.apply(failure);
        }
        try {
            connection.releaseSavepoint(savepoint);
        } catch (SQLException e) {
            throw new BackendException("could not release a savepoint", e);
        }
        return result;
    }

    /** @return whether the failure ended the whole transaction, which must then run again from its start */
    static boolean endsTransaction(Throwable failure) {
        return ENDS_TRANSACTION.test(failure);
    }
}
