package io.raceguard.jdbc;

import io.raceguard.BackendException;
import java.sql.Connection;
import java.sql.SQLException;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.HandleCallback;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;

/**
 * Runs one statement in a short transaction of its own, on a handle of its own: never inside a
 * transaction of the caller's. The statement commits on its own (autocommit); a connection the pool
 * hands out with autocommit off is committed right after the statement, so nothing is left open.
 *
 * <p>A statement the database rolled back as a deadlock victim or a serialization failure had no
 * effect and is run again, up to {@value #ATTEMPTS} times in all, on a fresh handle; any other
 * failure, and the last transient one, is thrown as a {@link BackendException} whose message names
 * the operation only, never a key or an owner token. Thread-safe.
 */
final class ShortTransactions {

    private static final int ATTEMPTS = 3;
    private static final RetryableFailures TRANSIENT = new RetryableFailures(false);

    private final Jdbi jdbi;

    ShortTransactions(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /**
     * @param operation what the statement does, for the exception message
     * @param statement runs exactly one statement on the handle
     * @return the statement's result
     * @throws BackendException if the database failed; whether the statement took effect is unknown
     *     when the connection broke while it ran
     */
    <T> T run(String operation, HandleCallback<T, RuntimeException> statement) {
        for (int attempt = 1; ; attempt++) {
            try {
                return jdbi.withHandle(handle -> committed(handle, statement));
            } catch (JdbiException | SQLException failure) {
                if (attempt >= ATTEMPTS || !TRANSIENT.test(failure)) {
                    throw new BackendException("could not " + operation, failure);
                }
            }
        }
    }

    private static <T> T committed(Handle handle, HandleCallback<T, RuntimeException> statement) throws SQLException {
        Connection connection = handle.getConnection();
        boolean autoCommit = connection.getAutoCommit();
        try {
            T result = statement.withHandle(handle);
            if (!autoCommit) {
                connection.commit();
            }
            return result;
        } catch (SQLException | RuntimeException failure) {
            if (!autoCommit) {
                rollBackQuietly(connection, failure);
            }
            throw failure;
        }
    }

    private static void rollBackQuietly(Connection connection, Exception failure) {
        try {
            connection.rollback();
        } catch (SQLException rollbackFailure) {
            failure.addSuppressed(rollbackFailure);
        }
    }
}
