package io.raceguard.jdbc;

import static java.util.Objects.requireNonNull;

import io.raceguard.internal.Inputs;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.TreeSet;
import org.jdbi.v3.core.Handle;

/**
 * Locks several rows of one table {@code FOR UPDATE}, always in the same key order, so that
 * transactions locking overlapping sets of rows (a transfer A→B racing one B→A) queue up instead of
 * deadlocking.
 *
 * <pre>{@code
 * private static final RowLocks ACCOUNTS = RowLocks.on("accounts", "id");
 *
 * jdbi.useTransaction(handle -> {
 *     ACCOUNTS.lock(handle, List.of(from, to));     // both rows locked, in key order
 *     // read balances, check, update: no other transaction can change these rows until commit
 * });
 * }</pre>
 *
 * <h2>How</h2>
 * <ol>
 *   <li>The keys are sorted client-side by their natural order and de-duplicated.</li>
 *   <li>Each key is locked by its own {@code SELECT key FROM table WHERE key = ? FOR UPDATE}, in
 *       that order. One ordered statement ({@code WHERE key IN (...) ORDER BY key FOR UPDATE})
 *       would save round trips, but no vendor promises to take the locks in the order of
 *       {@code ORDER BY}: PostgreSQL sorts after locking (under READ COMMITTED the rows can even
 *       come back out of order), and InnoDB locks in the order of whatever index its plan scans.
 *       One statement per key makes the order a fact, not a plan.</li>
 * </ol>
 * Every caller that locks rows of a table through {@code RowLocks} takes them in the same global
 * order, so none of them can wait for another in a cycle. Locks taken outside it (a plain
 * {@code UPDATE} of several rows) are not ordered by it.
 *
 * <h2>Waiting</h2>
 * <ul>
 *   <li>by default: as long as the database's own lock timeout allows;</li>
 *   <li>{@link #nowait()}: {@code FOR UPDATE NOWAIT}, fail at once on a locked row;</li>
 *   <li>{@link #skipLocked()}: {@code FOR UPDATE SKIP LOCKED}, lock what is free and report it;</li>
 *   <li>{@link #waitAtMost(Duration)}: each row waits at most that long. PostgreSQL:
 *       {@code set_config('lock_timeout', ..., true)} (the transaction-local {@code SET LOCAL}),
 *       the previous value restored when the call returns normally (after a failure the aborted
 *       transaction discards it anyway). MariaDB: {@code FOR UPDATE WAIT n}, which the server
 *       truncates to whole seconds, so the wait is rounded <em>up</em> to whole seconds. H2:
 *       {@code FOR UPDATE WAIT n} in seconds. MariaDB and H2 scope it to the statement, so no
 *       session setting is touched.</li>
 * </ul>
 * A row that cannot be locked in time ends the call with {@link RowLocksUnavailableException}
 * (classified by {@link SqlFailure}: PostgreSQL 55P03, MariaDB 1205, H2 50200).
 *
 * <h2>Transactions, thread safety, failure model</h2>
 * Row locks only mean something inside a transaction: calling {@link #lock} on a handle without
 * one is an {@link IllegalStateException}. The locks are held until that transaction commits or
 * rolls back; there is no unlock. Instances are immutable and thread-safe. Any database failure
 * other than a lock timeout is rethrown as Jdbi threw it; after any failure the caller's
 * transaction must be rolled back (PostgreSQL has aborted it already; MariaDB rolled back only the
 * failed statement and keeps the locks taken before it). A deadlock cannot arise among callers of
 * this class, but can with other code that locks the same rows in another order.
 */
public final class RowLocks {

    private enum Waiting { DATABASE_DEFAULT, NOWAIT, SKIP_LOCKED, AT_MOST }

    private final SqlIdentifier table;
    private final SqlIdentifier keyColumn;
    private final Waiting waiting;
    private final Duration timeout;

    private RowLocks(SqlIdentifier table, SqlIdentifier keyColumn, Waiting waiting, Duration timeout) {
        this.table = table;
        this.keyColumn = keyColumn;
        this.waiting = waiting;
        this.timeout = timeout;
    }

    /**
     * @param table the table, optionally {@code schema.table}
     * @param keyColumn a unique column (primary key or unique index) identifying the rows
     * @return row locks on that table that wait as long as the database's own lock timeout allows
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if a name is not a valid identifier
     */
    public static RowLocks on(String table, String keyColumn) {
        return new RowLocks(SqlIdentifier.of(requireNonNull(table, "table")),
                SqlIdentifier.column(requireNonNull(keyColumn, "keyColumn")), Waiting.DATABASE_DEFAULT, null);
    }

    /** @return a copy that fails at once on a row locked by another transaction (replaces any other waiting option) */
    public RowLocks nowait() {
        return new RowLocks(table, keyColumn, Waiting.NOWAIT, null);
    }

    /**
     * @return a copy that skips rows locked by another transaction and locks the rest (replaces
     *     any other waiting option); {@link #lock} then returns only the keys it locked
     */
    public RowLocks skipLocked() {
        return new RowLocks(table, keyColumn, Waiting.SKIP_LOCKED, null);
    }

    /**
     * @param timeout how long each row may be waited for, at least 1 ms (whole seconds on MariaDB,
     *     rounded up)
     * @return a copy that waits at most {@code timeout} for each row (replaces any other waiting option)
     * @throws NullPointerException if {@code timeout} is null
     * @throws IllegalArgumentException if {@code timeout} is not positive or longer than {@link Inputs#MAX_DURATION}
     */
    public RowLocks waitAtMost(Duration timeout) {
        return new RowLocks(table, keyColumn, Waiting.AT_MOST, Inputs.requirePositive(timeout, "timeout"));
    }

    /**
     * Locks the rows with the given keys, one at a time in ascending key order, until the
     * transaction open on {@code handle} ends.
     *
     * @param handle a handle with an open transaction
     * @param keys the keys of the rows to lock, in any order, duplicates allowed, no null
     * @param <K> the key type, ordered by its natural order
     * @return the keys whose rows this call locked, ascending: keys without a row are left out,
     *     and with {@link #skipLocked()} so are rows locked by another transaction
     * @throws NullPointerException if an argument or a key is null
     * @throws IllegalStateException if no transaction is open on {@code handle}
     * @throws RowLocksUnavailableException if a row was locked by another transaction and the
     *     call was not to wait ({@link #nowait()}) or the wait ran out
     * @throws org.jdbi.v3.core.JdbiException if the database failed otherwise; see {@link SqlFailure}
     */
    public <K extends Comparable<? super K>> List<K> lock(Handle handle, Collection<? extends K> keys) {
        requireNonNull(handle, "handle");
        requireNonNull(keys, "keys");
        TreeSet<K> ordered = new TreeSet<>();
        for (K key : keys) {
            ordered.add(requireNonNull(key, "key"));
        }
        if (!handle.isInTransaction()) {
            throw new IllegalStateException("row locks last until the transaction ends: call RowLocks.lock inside one");
        }
        if (ordered.isEmpty()) {
            return List.of();
        }
        Dialect dialect = Dialect.of(handle.getConnection());
        PostgresLockTimeout restore = waiting == Waiting.AT_MOST && dialect == Dialect.POSTGRESQL
                ? PostgresLockTimeout.set(handle, timeout)
                : null;
        String sql = lockSql(dialect);
        List<K> locked = new ArrayList<>(ordered.size());
        for (K key : ordered) {
            if (lockOne(handle, sql, key)) {
                locked.add(key);
            }
        }
        if (restore != null) {
            restore.restore(handle);
        }
        return List.copyOf(locked);
    }

    private boolean lockOne(Handle handle, String sql, Object key) {
        try {
            return handle.createQuery(sql).bind("key", key).mapTo(Integer.class).findFirst().isPresent();
        } catch (RuntimeException failure) {
            SqlFailure classified = SqlFailure.classify(failure);
            if (classified instanceof SqlFailure.LockNotAvailable || classified instanceof SqlFailure.LockTimeout) {
                throw new RowLocksUnavailableException(key, classified, failure);
            }
            throw failure;
        }
    }

    private String lockSql(Dialect dialect) {
        String select = "SELECT 1 FROM " + table.quoted(dialect) + " WHERE " + keyColumn.quoted(dialect)
                + " = :key FOR UPDATE";
        return switch (waiting) {
            case DATABASE_DEFAULT -> select;
            case NOWAIT -> select + " NOWAIT";
            case SKIP_LOCKED -> select + " SKIP LOCKED";
            case AT_MOST -> switch (dialect) {
                case POSTGRESQL -> select;
                case MARIADB -> select + " WAIT " + wholeSecondsRoundedUp(timeout);
                case H2 -> select + " WAIT " + java.math.BigDecimal.valueOf(timeout.toMillis(), 3).toPlainString();
            };
        };
    }

    private static long wholeSecondsRoundedUp(Duration timeout) {
        return timeout.getSeconds() + (timeout.getNano() > 0 ? 1 : 0);
    }
}
