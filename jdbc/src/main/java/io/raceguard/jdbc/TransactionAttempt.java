package io.raceguard.jdbc;

import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.HandleCallback;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.transaction.TransactionIsolationLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One attempt of a {@link Transactions} call: a fresh handle, a new transaction at the chosen
 * isolation, the callback, the commit; on any failure a full rollback. Pooled connections come back
 * as they were lent.
 *
 * <p>On PostgreSQL and MariaDB the isolation is set for this transaction only, by
 * {@code SET TRANSACTION ...} as its first statement: one statement, sent with {@code BEGIN} on
 * PostgreSQL, and no session state to read or put back. H2 applies {@code SET TRANSACTION} to the session, so
 * there the session's isolation is set and put back, in process. A read-only setting made through
 * {@link java.sql.Connection#setReadOnly} is put back before the handle is closed.
 */
final class TransactionAttempt {

    private static final Logger LOG = LoggerFactory.getLogger(TransactionAttempt.class);

    private static final String POSTGRES_READ_ONLY =
            "SET TRANSACTION ISOLATION LEVEL SERIALIZABLE, READ ONLY, DEFERRABLE";
    private static final String SET_ISOLATION = "SET TRANSACTION ISOLATION LEVEL ";

    private TransactionAttempt() {}

    static <T, X extends Exception> T run(
            Jdbi jdbi, TransactionIsolationLevel isolation, boolean readOnly, HandleCallback<T, X> work) throws X {
        Handle handle = jdbi.open();
        Settings settings = null;
        boolean begun = false;
        boolean committed = false;
        Throwable failure = null;
        try {
            if (handle.isInTransaction()) {
                throw new IllegalStateException("the Jdbi hands out connections that are already in a transaction "
                        + "(autocommit off); Transactions must begin each transaction itself");
            }
            Dialect dialect = Dialect.of(handle.getConnection());
            boolean transactionScoped = dialect != Dialect.H2;
            boolean postgresReadOnly = readOnly && dialect == Dialect.POSTGRESQL;
            settings = Settings.apply(handle, transactionScoped ? null : isolation, readOnly && !postgresReadOnly);
            handle.begin();
            begun = true;
            if (postgresReadOnly) {
                handle.execute(POSTGRES_READ_ONLY);
            } else if (transactionScoped) {
                handle.execute(SET_ISOLATION + levelName(isolation));
            }
            T result = work.withHandle(handle);
            if (!handle.isInTransaction()) {
                throw new IllegalStateException("the callback ended the transaction itself (commit or rollback); "
                        + "Transactions commits it, so that the work stays atomic and can be retried as a whole");
            }
            commit(handle);
            committed = true;
            return result;
        } catch (Throwable e) {
            failure = e;
            throw e;
        } finally {
            if (begun && !committed) {
                rollback(handle, failure);
            }
            if (settings != null) {
                settings.restore(handle, failure);
            }
            close(handle, failure);
        }
    }

    private static String levelName(TransactionIsolationLevel isolation) {
        return switch (isolation) {
            case READ_UNCOMMITTED -> "READ UNCOMMITTED";
            case READ_COMMITTED -> "READ COMMITTED";
            case REPEATABLE_READ -> "REPEATABLE READ";
            case SERIALIZABLE -> "SERIALIZABLE";
            case NONE, UNKNOWN -> throw new IllegalArgumentException("isolation must be a level, was " + isolation);
        };
    }

    private static void commit(Handle handle) {
        try {
            handle.commit();
        } catch (RuntimeException commitFailure) {
            if (CommitOutcome.isUnknown(commitFailure, handle.getConnection())) {
                throw new CommitOutcomeUnknownException("the connection failed while the transaction was committing, "
                        + "so it may or may not have committed; it was not retried", commitFailure);
            }
            throw commitFailure;
        }
    }

    private static void rollback(Handle handle, Throwable failure) {
        try {
            // A commit that failed has already been rolled back by Jdbi's transaction handler.
            if (!handle.getConnection().isClosed() && handle.isInTransaction()) {
                handle.rollback();
            }
        } catch (Exception rollbackFailure) {
            attachOrLog(failure, rollbackFailure, "rollback");
        }
    }

    private static void close(Handle handle, Throwable failure) {
        try {
            handle.close();
        } catch (RuntimeException closeFailure) {
            attachOrLog(failure, closeFailure, "closing the handle");
        }
    }

    /** After a commit, cleanup failures must not turn a committed transaction into a thrown one. */
    private static void attachOrLog(Throwable failure, Exception cleanupFailure, String step) {
        if (failure != null) {
            failure.addSuppressed(cleanupFailure);
        } else {
            LOG.debug("{} failed after the transaction committed", step, cleanupFailure);
        }
    }

    /** The connection settings an attempt changed, to be put back afterwards. */
    private static final class Settings {
        private final TransactionIsolationLevel previousIsolation;
        private final boolean previousReadOnly;
        private final boolean readOnlyChanged;

        private Settings(TransactionIsolationLevel previousIsolation, boolean previousReadOnly,
                boolean readOnlyChanged) {
            this.previousIsolation = previousIsolation;
            this.previousReadOnly = previousReadOnly;
            this.readOnlyChanged = readOnlyChanged;
        }

        /**
         * @param isolation the level to set, or null to leave it
         * @param readOnly whether to mark the connection read-only
         */
        static Settings apply(Handle handle, TransactionIsolationLevel isolation, boolean readOnly) {
            TransactionIsolationLevel previousIsolation = null;
            if (isolation != null) {
                previousIsolation = handle.getTransactionIsolationLevel();
                handle.setTransactionIsolationLevel(isolation);
            }
            boolean previousReadOnly = handle.isReadOnly();
            boolean readOnlyChanged = readOnly && !previousReadOnly;
            if (readOnlyChanged) {
                handle.setReadOnly(true);
            }
            return new Settings(previousIsolation, previousReadOnly, readOnlyChanged);
        }

        void restore(Handle handle, Throwable failure) {
            try {
                if (handle.getConnection().isClosed()) {
                    return;
                }
                if (previousIsolation != null && previousIsolation != TransactionIsolationLevel.UNKNOWN) {
                    handle.setTransactionIsolationLevel(previousIsolation);
                }
                if (readOnlyChanged) {
                    handle.setReadOnly(previousReadOnly);
                }
            } catch (Exception restoreFailure) {
                attachOrLog(failure, restoreFailure, "restoring the connection settings");
            }
        }
    }
}
