package io.raceguard.jdbc;

import static java.util.Objects.requireNonNull;

import java.sql.SQLException;

/**
 * Vendor-aware classification of a database failure: what kind of refusal a statement or a commit
 * met, read from the vendor's error codes rather than from exception classes or messages.
 *
 * <pre>{@code
 * switch (SqlFailure.classify(exception)) {
 *     case SqlFailure.SerializationConflict conflict -> retryWholeTransaction();
 *     case SqlFailure.UniqueViolation duplicate -> reject(duplicate.constraint());
 *     default -> throw exception;
 * }
 * }</pre>
 *
 * <h2>Codes read</h2>
 *
 * <table>
 *   <caption>vendor code or SQLSTATE per kind</caption>
 *   <tr><th></th><th>PostgreSQL (pgjdbc)</th><th>MySQL (Connector/J)</th><th>MariaDB (its driver)</th>
 *       <th>H2 2.x</th></tr>
 *   <tr><td>{@link SerializationConflict}</td><td>40001</td><td>—</td><td>1020</td><td>—</td></tr>
 *   <tr><td>{@link Deadlock}</td><td>40P01</td><td>1213</td><td>1213</td><td>40001 (vendor code 40001)</td></tr>
 *   <tr><td>{@link LockTimeout}</td><td>55P03 from {@code lock_timeout}</td><td>1205 (SQLSTATE rewritten to 40001)</td>
 *       <td>1205, also for {@code NOWAIT}</td><td>50200, also for {@code NOWAIT}</td></tr>
 *   <tr><td>{@link LockNotAvailable}</td><td>55P03 from {@code NOWAIT}</td><td>3572</td><td>—</td><td>—</td></tr>
 *   <tr><td>{@link UniqueViolation}</td><td>23505</td><td>1062, 1586</td><td>1062</td><td>23505</td></tr>
 * </table>
 *
 * <p>PostgreSQL reports a lock timeout and a {@code NOWAIT} refusal with the same SQLSTATE 55P03; they
 * are told apart by the server routine that raised the error ({@code ProcessInterrupts} for the
 * timeout), which pgjdbc exposes and which, unlike the message, is never translated. MariaDB and H2
 * report a {@code NOWAIT} refusal exactly like a lock wait timeout (same code, same message), so on
 * those databases it classifies as {@link LockTimeout}. Vendor codes of other databases are not
 * interpreted: their failures classify by the standard SQLSTATEs 40001, 40P01, 55P03 and 23505 only,
 * and a vendor code that happens to equal one of the MySQL codes above would be misread.
 *
 * <h2>Walking the failure</h2>
 *
 * The classifier looks at the given throwable and everything attached to it, depth first: the
 * {@linkplain SQLException#getNextException() next exceptions} (which is where a
 * {@link java.sql.BatchUpdateException} keeps the failed entries), the cause, and the suppressed
 * exceptions. The first failure of a known kind wins, so wrappers such as Jdbi's statement exceptions
 * are seen through. PostgreSQL's 25P02 ("current transaction is aborted") is never the answer: it only
 * says that an earlier statement failed, so the walk goes on to that earlier failure when it is
 * attached. Cycles are detected, so every chain terminates.
 *
 * <p>The classifier is stateless and thread-safe; it never throws for a failure it does not
 * recognize, it answers {@link Other}. The PostgreSQL, MariaDB and H2 drivers are only ever reached
 * through {@link SQLException} getters and reflection: none of them needs to be on the class path.
 */
public sealed interface SqlFailure
        permits SqlFailure.SerializationConflict,
                SqlFailure.Deadlock,
                SqlFailure.LockTimeout,
                SqlFailure.LockNotAvailable,
                SqlFailure.UniqueViolation,
                SqlFailure.Other {

    /**
     * Classifies a failure by the vendor codes found anywhere in its chain (see the class
     * documentation).
     *
     * @param failure what a statement, a batch or a commit threw
     * @return the first failure of a known kind in the chain, or {@link Other} holding {@code failure}
     * @throws NullPointerException if {@code failure} is null
     */
    static SqlFailure classify(Throwable failure) {
        return FailureChainClassifier.classify(requireNonNull(failure, "failure"));
    }

    /**
     * The database refused to commit the transaction because it could not be serialized with
     * concurrent ones. The whole transaction has been rolled back; re-running it from the start is
     * the documented remedy.
     *
     * @param exception the exception that carried the code
     */
    record SerializationConflict(SQLException exception) implements SqlFailure {
        /** @throws NullPointerException if {@code exception} is null */
        public SerializationConflict {
            requireNonNull(exception, "exception");
        }
    }

    /**
     * The transaction was chosen as a deadlock victim and rolled back. Re-running the whole transaction
     * usually succeeds.
     *
     * @param exception the exception that carried the code
     */
    record Deadlock(SQLException exception) implements SqlFailure {
        /** @throws NullPointerException if {@code exception} is null */
        public Deadlock {
            requireNonNull(exception, "exception");
        }
    }

    /**
     * A statement waited for a lock longer than the configured lock timeout. On MySQL and MariaDB only
     * the statement is rolled back, not the transaction (unless {@code innodb_rollback_on_timeout});
     * on PostgreSQL the transaction is aborted.
     *
     * @param exception the exception that carried the code
     */
    record LockTimeout(SQLException exception) implements SqlFailure {
        /** @throws NullPointerException if {@code exception} is null */
        public LockTimeout {
            requireNonNull(exception, "exception");
        }
    }

    /**
     * A lock requested with {@code NOWAIT} was held by another transaction, on databases that report
     * this apart from a lock timeout (PostgreSQL, MySQL).
     *
     * @param exception the exception that carried the code
     */
    record LockNotAvailable(SQLException exception) implements SqlFailure {
        /** @throws NullPointerException if {@code exception} is null */
        public LockNotAvailable {
            requireNonNull(exception, "exception");
        }
    }

    /**
     * A unique constraint or unique index refused a duplicate.
     *
     * @param constraint the violated constraint or unique index, as the database reports it (PostgreSQL
     *     names the constraint or index; MariaDB and MySQL the index, {@code PRIMARY} for the primary
     *     key; H2 the constraint, or the index when there is no constraint), or empty when the driver
     *     did not reveal it; never {@code null}
     * @param exception the exception that carried the code
     */
    record UniqueViolation(String constraint, SQLException exception) implements SqlFailure {
        /** @throws NullPointerException if an argument is null */
        public UniqueViolation {
            requireNonNull(constraint, "constraint");
            requireNonNull(exception, "exception");
        }
    }

    /**
     * Any other failure: not one of the kinds above, or not a database failure at all.
     *
     * @param exception the failure as given to {@link #classify(Throwable)}
     */
    record Other(Throwable exception) implements SqlFailure {
        /** @throws NullPointerException if {@code exception} is null */
        public Other {
            requireNonNull(exception, "exception");
        }
    }
}
