package io.raceguard.jdbc;

import static java.util.Objects.requireNonNull;

import io.raceguard.Outcome;
import io.raceguard.Rejection;
import io.raceguard.event.RaceguardListener;
import io.raceguard.internal.Events;
import io.raceguard.internal.Inputs;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;
import org.jdbi.v3.core.Handle;

/**
 * Conditional writes with typed outcomes on one of the caller's own tables: the condition lives
 * inside the write, so a check and the act it guards can never be separated by another
 * transaction.
 *
 * <pre>{@code
 * private static final GuardedUpdates ACCOUNTS = GuardedUpdates.on("accounts", "id");
 *
 * Outcome<Long> debit = ACCOUNTS.decrement("balance", 100).apply(handle, accountId);
 * if (!debit.isApplied()) return badRequest(debit.rejection());   // CONDITION_FAILED or NOT_FOUND
 * long newBalance = debit.value();
 * }</pre>
 *
 * <h2>What is atomic</h2>
 * Every {@link Change} is one conditional {@code UPDATE ... WHERE key = ? AND <condition>} on one
 * row: the database checks the condition on the latest committed version of the row while holding
 * its row lock, so two concurrent changes can never both pass a condition that only one of them
 * may pass (five $100 debits from a $200 balance: exactly two apply, at every isolation level).
 * When the update matches no row, {@code NOT_FOUND} and {@code CONDITION_FAILED} are told apart in
 * the same transaction:
 * <ol>
 *   <li>Run the conditional update; a row it changed is {@code Applied(new value)}. PostgreSQL
 *       returns the value with {@code UPDATE ... RETURNING}, H2 with
 *       {@code SELECT ... FROM FINAL TABLE (UPDATE ...)}; MariaDB/MySQL have no
 *       {@code UPDATE ... RETURNING}, so the row is read back in the same transaction, where our
 *       update still holds its lock and no one else can have changed it since.</li>
 *   <li>Otherwise lock the row with {@code SELECT <condition> ... FOR UPDATE}. No row:
 *       {@code NOT_FOUND}. The condition fails: {@code CONDITION_FAILED} (or {@code STALE_FENCE}
 *       for a fenced write), and since we now hold the row lock the row keeps failing it until our
 *       transaction ends.</li>
 *   <li>The condition holds on the locked row: another transaction committed between steps 1
 *       and 2 (READ COMMITTED, or MariaDB and H2 at any level, where updates and locking reads see
 *       the latest committed row), or (MariaDB/MySQL with {@code useAffectedRows=true}) step 1 matched
 *       the row without changing it and reported zero rows. Either way the update is run again
 *       while we hold the lock, and it applies.</li>
 * </ol>
 * So the outcome describes the row at one instant (the moment we held its lock), under every
 * isolation level. On PostgreSQL under REPEATABLE READ and SERIALIZABLE, a row changed by another
 * transaction since our snapshot makes step 1 or 2 fail with a serialization failure (40001; on
 * MariaDB with {@code innodb_snapshot_isolation=ON}, 1020), which is thrown for the caller's retry
 * (see {@link SqlFailure}). {@code NOT_FOUND} cannot lock an absent row: a row inserted after
 * step 2 may exist before our transaction ends.
 *
 * <h2>Transactions</h2>
 * Every method joins the transaction open on the handle; with none open it runs in a transaction
 * of its own, committed before it returns. Rejections never poison the caller's transaction: a
 * statement that can fail as part of an expected outcome (a duplicate insert) runs behind a
 * savepoint, which is rolled back before the rejection is returned.
 *
 * <h2>Identifiers and values</h2>
 * Table and column names are validated against {@code [A-Za-z_][A-Za-z0-9_]*} (a table may carry
 * one {@code schema.} qualifier) when the description is built, before any I/O, then folded as the
 * database folds an unquoted name and quoted, so they mean what they would mean unquoted in the
 * caller's DDL. Values are always bound parameters. The key column must be unique
 * (a primary key or a unique index); a key that matches several rows is a misuse reported by an
 * {@link IllegalStateException}, after which the caller must roll back.
 *
 * <h2>MariaDB/MySQL row counts</h2>
 * By default the MariaDB and MySQL drivers report the rows an {@code UPDATE} <em>found</em>; with
 * {@code useAffectedRows=true} the rows it <em>changed</em>. The shapes built here are correct under
 * both: amounts are positive, a version or fence column always moves, and a compare-and-set that
 * matches without changing anything is resolved by step 3 above. For the raw-SQL form see
 * {@link #update(Handle, Object, String, Map)}.
 *
 * <h2>Thread safety and failure model</h2>
 * Instances, and the {@link Change}s they build, are immutable and thread-safe: build them once,
 * apply them from any thread to any handle (a {@link Handle} itself is not thread-safe). A database
 * fault is thrown as Jdbi throws it (an unchecked {@code JdbiException} carrying the
 * {@link java.sql.SQLException}); classify it with {@link SqlFailure#classify}. If the connection
 * fails while an own transaction commits, whether the change applied is unknown.
 */
public final class GuardedUpdates {

    private final SqlIdentifier table;
    private final SqlIdentifier keyColumn;
    private final Events events;

    private GuardedUpdates(SqlIdentifier table, SqlIdentifier keyColumn, Events events) {
        this.table = table;
        this.keyColumn = keyColumn;
        this.events = events;
    }

    /**
     * @param table the table, optionally {@code schema.table}
     * @param keyColumn a column that identifies one row (primary key or unique), also the column
     *     whose generated value {@link #insertIfAbsent} returns
     * @return a description of guarded writes on that table
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if a name is not a valid identifier
     */
    public static GuardedUpdates on(String table, String keyColumn) {
        return new GuardedUpdates(SqlIdentifier.of(requireNonNull(table, "table")), column(keyColumn, "keyColumn"),
                Events.none());
    }

    /**
     * @param name the name these writes are reported as, e.g. {@code "documents"}; never a key
     * @param listener where to report each stale fence a {@link #fencedSet} refuses; see {@link io.raceguard.event}
     * @return the same guarded writes, reporting to {@code listener}
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if {@code name} is not a valid {@link io.raceguard.event.EventSource} name
     */
    public GuardedUpdates withEvents(String name, RaceguardListener listener) {
        return new GuardedUpdates(table, keyColumn, Events.of(name, GuardedUpdates.class, listener));
    }

    /**
     * A conditional write on one row, ready to be applied by key. Immutable and thread-safe.
     *
     * @param <T> the type of the value an applied write returns
     */
    public interface Change<T> {
        /**
         * Applies the write to the row with the given key, in the handle's open transaction (or a
         * transaction of its own), following the steps in {@link GuardedUpdates}.
         *
         * @param handle the handle to run on
         * @param key the value of the key column, bound as a parameter
         * @return {@code Applied(new value)}, or {@code Rejected} with {@code NOT_FOUND},
         *     {@code CONDITION_FAILED} or (fenced writes) {@code STALE_FENCE}
         * @throws NullPointerException if an argument is null
         * @throws IllegalStateException if the key matched more than one row
         * @throws org.jdbi.v3.core.JdbiException if the database failed; see {@link SqlFailure}
         */
        Outcome<T> apply(Handle handle, Object key);
    }

    /**
     * Subtracts {@code amount} from a numeric column if the result stays {@code >= 0}.
     *
     * @param column the column to decrement
     * @param amount how much to subtract, {@code > 0}
     * @return the change; applied, it returns the new value of the column
     * @throws IllegalArgumentException if the column name is invalid or {@code amount <= 0}
     */
    public Change<Long> decrement(String column, long amount) {
        return decrement(column, amount, 0);
    }

    /**
     * Subtracts {@code amount} from a numeric column if the result stays {@code >= floor}.
     *
     * @param column the column to decrement
     * @param amount how much to subtract, {@code > 0}
     * @param floor the lowest value the column may reach
     * @return the change; applied, it returns the new value of the column
     * @throws IllegalArgumentException if the column name is invalid, {@code amount <= 0}, or
     *     {@code floor + amount} overflows a long
     */
    public Change<Long> decrement(String column, long amount, long floor) {
        SqlIdentifier target = column(column, "column");
        Inputs.requirePositive(amount, "amount");
        return step(target, "-", amount, ">=", exactly(() -> Math.addExact(floor, amount), "floor + amount"));
    }

    /**
     * Adds {@code amount} to a numeric column if the result stays {@code <= ceiling}.
     *
     * @param column the column to increment
     * @param amount how much to add, {@code > 0}
     * @param ceiling the highest value the column may reach
     * @return the change; applied, it returns the new value of the column
     * @throws IllegalArgumentException if the column name is invalid, {@code amount <= 0}, or
     *     {@code ceiling - amount} overflows a long
     */
    public Change<Long> increment(String column, long amount, long ceiling) {
        SqlIdentifier target = column(column, "column");
        Inputs.requirePositive(amount, "amount");
        return step(target, "+", amount, "<=", exactly(() -> Math.subtractExact(ceiling, amount), "ceiling - amount"));
    }

    /**
     * Adds {@code amount} to a numeric column if the result stays {@code <=} the value of another
     * column of the same row (a coupon's {@code uses} up to its {@code max_uses}).
     *
     * @param column the column to increment
     * @param amount how much to add, {@code > 0}
     * @param ceilingColumn the column that holds the highest value {@code column} may reach
     * @return the change; applied, it returns the new value of the column
     * @throws IllegalArgumentException if a column name is invalid or {@code amount <= 0}
     */
    public Change<Long> increment(String column, long amount, String ceilingColumn) {
        SqlIdentifier target = column(column, "column");
        SqlIdentifier ceiling = column(ceilingColumn, "ceilingColumn");
        Inputs.requirePositive(amount, "amount");
        return new ConditionalUpdate<>(table, keyColumn, target, Long.class, Rejection.CONDITION_FAILED,
                dialect -> target.quoted(dialect) + " = " + target.quoted(dialect) + " + :amount",
                dialect -> target.quoted(dialect) + " <= " + ceiling.quoted(dialect) + " - :amount",
                Map.of("amount", amount));
    }

    /**
     * Sets a column to {@code replacement} if it currently equals {@code expected} (equality as the
     * database compares, collation included).
     *
     * @param column the column to compare and set
     * @param expected the value the column must hold, not null
     * @param replacement the value to store, not null; its class is also the type the new value
     *     is read back as
     * @param <T> the value type
     * @return the change; applied, it returns the new value of the column
     * @throws NullPointerException if {@code expected} or {@code replacement} is null
     * @throws IllegalArgumentException if the column name is invalid
     */
    public <T> Change<T> compareAndSet(String column, T expected, T replacement) {
        SqlIdentifier target = column(column, "column");
        requireNonNull(expected, "expected");
        requireNonNull(replacement, "replacement");
        return new ConditionalUpdate<>(table, keyColumn, target, classOf(replacement), Rejection.CONDITION_FAILED,
                dialect -> target.quoted(dialect) + " = :replacement",
                dialect -> target.quoted(dialect) + " = :expected",
                Map.of("expected", expected, "replacement", replacement));
    }

    /**
     * Optimistic locking: sets a column if the row's version column still holds
     * {@code expectedVersion}, and increments the version in the same statement.
     *
     * @param column the column to set
     * @param value the value to store (may be null)
     * @param versionColumn a numeric version column
     * @param expectedVersion the version the caller read
     * @return the change; applied, it returns the new version ({@code expectedVersion + 1})
     * @throws IllegalArgumentException if a column name is invalid or the two columns are the same
     */
    public Change<Long> setIfVersion(String column, Object value, String versionColumn, long expectedVersion) {
        SqlIdentifier target = column(column, "column");
        SqlIdentifier version = column(versionColumn, "versionColumn");
        requireDistinct(target, version, "versionColumn");
        Map<String, Object> parameters = new LinkedHashMap<>();
        parameters.put("value", value);
        parameters.put("expected", expectedVersion);
        return new ConditionalUpdate<>(table, keyColumn, version, Long.class, Rejection.CONDITION_FAILED,
                dialect -> target.quoted(dialect) + " = :value, "
                        + version.quoted(dialect) + " = " + version.quoted(dialect) + " + 1",
                dialect -> version.quoted(dialect) + " = :expected",
                parameters);
    }

    /**
     * A fenced write: sets a column only if {@code token} is newer than the fence the row has
     * recorded ({@code fence IS NULL OR fence < token}), and records {@code token} as the new fence
     * in the same statement. A holder whose lease was taken over presents an older token and is
     * refused with {@code STALE_FENCE}, even if its write arrives after the new holder's.
     *
     * @param column the column to set
     * @param value the value to store, not null; its class is also the type it is read back as
     * @param fenceColumn a numeric column holding the highest token seen (NULL: none yet)
     * @param token the writer's fencing token
     * @param <T> the value type
     * @return the change; applied, it returns the new value of the column
     * @throws NullPointerException if {@code value} is null
     * @throws IllegalArgumentException if a column name is invalid or the two columns are the same
     */
    public <T> Change<T> fencedSet(String column, T value, String fenceColumn, long token) {
        SqlIdentifier target = column(column, "column");
        SqlIdentifier fence = column(fenceColumn, "fenceColumn");
        requireNonNull(value, "value");
        requireDistinct(target, fence, "fenceColumn");
        Change<T> fencedWrite = new ConditionalUpdate<>(table, keyColumn, target, classOf(value), Rejection.STALE_FENCE,
                dialect -> target.quoted(dialect) + " = :value, " + fence.quoted(dialect) + " = :token",
                dialect -> "(" + fence.quoted(dialect) + " IS NULL OR " + fence.quoted(dialect) + " < :token)",
                Map.of("value", value, "token", token));
        return StaleFenceReporting.of(fencedWrite, events);
    }

    /**
     * Inserts a row unless a unique constraint (any of the table's) already holds its values.
     *
     * <ul>
     *   <li>PostgreSQL: {@code INSERT ... ON CONFLICT DO NOTHING RETURNING key}. When it inserts
     *       nothing, a plain {@code INSERT} behind a savepoint names the constraint from its 23505
     *       error (or inserts, if the conflicting row went away meanwhile), and the savepoint is
     *       rolled back so the transaction stays usable.</li>
     *   <li>MariaDB/MySQL: a plain {@code INSERT} behind a savepoint; error 1062 is the duplicate.
     *       Never {@code INSERT IGNORE}, which also swallows truncation, NOT NULL and foreign-key
     *       errors. The key is read through the driver's generated keys, so the key column must
     *       be the table's {@code AUTO_INCREMENT} column.</li>
     *   <li>H2: {@code SELECT key FROM FINAL TABLE (INSERT ...)} behind a savepoint; 23505 is the
     *       duplicate.</li>
     * </ul>
     * The unique index decides, so concurrent inserts of the same value yield exactly one
     * {@code Applied}, at every isolation level. Under REPEATABLE READ or SERIALIZABLE on
     * PostgreSQL a conflict with a row our snapshot cannot see is a serialization failure (40001),
     * thrown for the caller's retry. Any failure other than a unique violation (a NOT NULL or
     * foreign-key violation) is rethrown: behind the savepoint it is rolled back first, so the
     * transaction stays usable; PostgreSQL's first, savepoint-free {@code ON CONFLICT} statement
     * aborts the transaction like any failed statement would, which keeps the common path free
     * of a subtransaction.
     *
     * <p><b>Deadlocks.</b> On MariaDB/MySQL, inserts that wait on the same duplicate key can deadlock
     * one another: when an uncommitted insert of that key rolls back, InnoDB has given each waiter a
     * shared lock on the key, and their inserts then wait on each other's (1213). A deadlock or a
     * serialization failure rolls back the whole transaction, savepoint included, so it is never
     * answered from behind the savepoint:
     * <ul>
     *   <li>With no transaction open on the handle, the insert runs in a transaction of its own,
     *       which is run again after a short random pause while it loses such a race (up to ten
     *       attempts in all), so concurrent callers get {@code Applied} or {@code DUPLICATE}.</li>
     *   <li>Inside the caller's transaction it cannot be retried alone: the statements before it were
     *       rolled back too. It is thrown as a {@link io.raceguard.BackendException} that says so,
     *       with the database's failure as its cause, which {@link SqlFailure#classify} reads; run
     *       the transaction through {@link Transactions}, which runs it again as a whole.</li>
     * </ul>
     *
     * @param handle the handle to run on
     * @param values column name to value, at least one; values may be null
     * @param keyType the type of the key column, for example {@code Long.class}
     * @param <K> the key type
     * @return {@code Applied(value of the key column of the new row)}, or
     *     {@code Rejected(DUPLICATE, constraint or index name)}
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if {@code values} is empty or holds an invalid column name
     * @throws IllegalStateException if the database returned no key (MariaDB/MySQL: the key column
     *     is not {@code AUTO_INCREMENT})
     * @throws io.raceguard.BackendException inside the caller's transaction, if a deadlock or a
     *     serialization failure rolled that transaction back
     * @throws org.jdbi.v3.core.JdbiException if the database failed, or kept deadlocking a transaction
     *     of the call's own; see {@link SqlFailure}
     */
    public <K> Outcome<K> insertIfAbsent(Handle handle, Map<String, ?> values, Class<K> keyType) {
        requireNonNull(handle, "handle");
        requireNonNull(keyType, "keyType");
        return new InsertIfAbsent<>(table, keyColumn, InsertIfAbsent.columns(values), keyType).execute(handle);
    }

    /**
     * The raw-SQL form, for conditions the shapes above do not cover: runs the caller's
     * {@code UPDATE ... WHERE <key and condition>} and, when it updates no row, locks this table's
     * row with the given key ({@code SELECT ... FOR UPDATE}) to tell {@code NOT_FOUND} from
     * {@code CONDITION_FAILED}, in the same transaction. Unlike a {@link Change}, the condition
     * is not re-checked on the locked row: under READ COMMITTED a row the condition came to hold
     * after the update looked at it is reported {@code CONDITION_FAILED}.
     *
     * <p>On MariaDB/MySQL with {@code useAffectedRows=true} a row the update matched but did not
     * change counts as zero rows; write the update so that every row it matches changes (bump a
     * version column), or keep the driver's default (found rows).
     *
     * @param handle the handle to run on
     * @param key the value of this table's key column of the row the update targets
     * @param sql the update, with {@code :name} parameters; never splice values into it
     * @param parameters the parameters of {@code sql}
     * @return {@code Applied(rows updated)} (at least 1), or {@code Rejected} with
     *     {@code NOT_FOUND} or {@code CONDITION_FAILED}
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if {@code sql} is blank
     * @throws org.jdbi.v3.core.JdbiException if the database failed; see {@link SqlFailure}
     */
    public Outcome<Integer> update(Handle handle, Object key, String sql, Map<String, ?> parameters) {
        requireNonNull(key, "key");
        return RawConditionalUpdate.of(sql, parameters)
                .execute(requireNonNull(handle, "handle"), dialect -> RowExistence.lockingQuery(table, keyColumn, dialect),
                        Map.of(RowExistence.KEY_PARAMETER, key));
    }

    /**
     * The raw-SQL form with the caller's own existence check: runs {@code sql} and, when it
     * updates no row, runs {@code existenceQuery} (bound with the same parameters; any row
     * returned means the row exists) in the same transaction to tell {@code NOT_FOUND} from
     * {@code CONDITION_FAILED}. Make the existence query a locking read ({@code FOR UPDATE}) so
     * that its answer holds until the transaction ends; the caveats of
     * {@link #update(Handle, Object, String, Map)} apply.
     *
     * @param handle the handle to run on
     * @param sql the update, with {@code :name} parameters
     * @param parameters the parameters of both statements
     * @param existenceQuery a query that returns a row if the targeted row exists
     * @return {@code Applied(rows updated)} (at least 1), or {@code Rejected} with
     *     {@code NOT_FOUND} or {@code CONDITION_FAILED}
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if a statement is blank
     * @throws org.jdbi.v3.core.JdbiException if the database failed; see {@link SqlFailure}
     */
    public static Outcome<Integer> update(Handle handle, String sql, Map<String, ?> parameters, String existenceQuery) {
        requireNonNull(existenceQuery, "existenceQuery");
        if (existenceQuery.isBlank()) {
            throw new IllegalArgumentException("existenceQuery must not be blank");
        }
        return RawConditionalUpdate.of(sql, parameters)
                .execute(requireNonNull(handle, "handle"), dialect -> existenceQuery, Map.of());
    }

    /**
     * {@code column = column <operator> amount}, applied only if {@code column <comparison> bound}
     * beforehand; the bound is the caller's limit already moved by the amount, so the SQL never
     * computes a value that could overflow before the comparison rejects it.
     */
    private Change<Long> step(SqlIdentifier target, String operator, long amount, String comparison, long bound) {
        return new ConditionalUpdate<>(table, keyColumn, target, Long.class, Rejection.CONDITION_FAILED,
                dialect -> target.quoted(dialect) + " = " + target.quoted(dialect) + " " + operator + " :amount",
                dialect -> target.quoted(dialect) + " " + comparison + " :bound",
                Map.of("amount", amount, "bound", bound));
    }

    private static SqlIdentifier column(String name, String argument) {
        return SqlIdentifier.column(requireNonNull(name, argument));
    }

    private static void requireDistinct(SqlIdentifier column, SqlIdentifier other, String argument) {
        if (column.toString().equalsIgnoreCase(other.toString())) {
            throw new IllegalArgumentException(argument + " must differ from column");
        }
    }

    private static long exactly(LongSupplier arithmetic, String what) {
        try {
            return arithmetic.getAsLong();
        } catch (ArithmeticException overflow) {
            throw new IllegalArgumentException(what + " overflows a long", overflow);
        }
    }

    @SuppressWarnings("unchecked")
    private static <T> Class<T> classOf(T value) {
        return (Class<T>) value.getClass();
    }
}
