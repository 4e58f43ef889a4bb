package io.raceguard.jdbc;

import java.sql.Connection;
import java.sql.SQLException;

/** Decides whether a failed commit may have committed anyway. */
final class CommitOutcome {

    private static final String CONNECTION_EXCEPTION_CLASS = "08";

    private CommitOutcome() {}

    /**
     * A commit's outcome is unknown when the database gave no answer to it: the failure carries an
     * SQLSTATE of class 08 (connection exception), or the connection is closed after it. Any answer
     * the database did give, a serialization failure for instance, means it rolled back.
     *
     * @param failure what the commit threw
     * @param connection the connection the commit was sent on
     */
    static boolean isUnknown(Throwable failure, Connection connection) {
        for (Throwable current : FailureChain.of(failure)) {
            if (current instanceof SQLException sqlException
                    && sqlException.getSQLState() != null
                    && sqlException.getSQLState().startsWith(CONNECTION_EXCEPTION_CLASS)) {
                return true;
            }
        }
        return isClosed(connection);
    }

    private static boolean isClosed(Connection connection) {
        try {
            return connection.isClosed();
        } catch (SQLException e) {
            return true;
        }
    }
}
