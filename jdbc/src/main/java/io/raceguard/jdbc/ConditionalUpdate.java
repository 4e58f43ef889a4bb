package io.raceguard.jdbc;

import static java.util.Objects.requireNonNull;

import io.raceguard.Outcome;
import io.raceguard.Rejection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Function;
import org.jdbi.v3.core.Handle;

/**
 * One conditional single-row update, run with the three steps described in {@link GuardedUpdates}.
 * Immutable and thread-safe: the SQL is assembled from validated identifiers, once per dialect on
 * first use, and values are bound.
 *
 * @param <T> the type the result column is read as
 */
final class ConditionalUpdate<T> implements GuardedUpdates.Change<T> {

    private static final String KEY = "key";
    private static final int DIALECTS = Dialect.values().length;

    private final SqlIdentifier table;
    private final SqlIdentifier keyColumn;
    private final SqlIdentifier resultColumn;
    private final Class<T> resultType;
    private final Rejection whenConditionFails;
    private final Function<Dialect, String> assignments;
    private final Function<Dialect, String> condition;
    private final Map<String, Object> parameters;
    /** The statements of each dialect, indexed by its ordinal; a slot is filled on first use. */
    private final AtomicReferenceArray<Statements> statementsByDialect = new AtomicReferenceArray<>(DIALECTS);

    ConditionalUpdate(SqlIdentifier table, SqlIdentifier keyColumn, SqlIdentifier resultColumn, Class<T> resultType,
            Rejection whenConditionFails, Function<Dialect, String> assignments, Function<Dialect, String> condition,
            Map<String, ?> parameters) {
        this.table = table;
        this.keyColumn = keyColumn;
        this.resultColumn = resultColumn;
        this.resultType = resultType;
        this.whenConditionFails = whenConditionFails;
        this.assignments = assignments;
        this.condition = condition;
        // Not Map.copyOf: a value set with setIfVersion may be null.
        this.parameters = java.util.Collections.unmodifiableMap(new HashMap<>(parameters));
    }

    @Override
    public Outcome<T> apply(Handle handle, Object key) {
        requireNonNull(handle, "handle");
        requireNonNull(key, "key");
        return handle.inTransaction(transaction -> {
            Statements statements = statements(Dialect.of(transaction.getConnection()));
            Optional<T> updated = update(transaction, statements, key);
            if (updated.isPresent()) {
                return Outcome.applied(updated.get());
            }
            Optional<Boolean> holds = lockAndTest(transaction, statements, key);
            if (holds.isEmpty()) {
                return Outcome.rejected(Rejection.NOT_FOUND);
            }
            if (!holds.get()) {
                return Outcome.rejected(whenConditionFails);
            }
            return Outcome.applied(updateHoldingLock(transaction, statements, key));
        });
    }

    /** Threads racing to a dialect's first use may each build its statements; they are equal, so either may stay. */
    private Statements statements(Dialect dialect) {
        Statements statements = statementsByDialect.get(dialect.ordinal());
        if (statements == null) {
            statements = Statements.of(dialect, table, keyColumn, resultColumn, assignments.apply(dialect),
                    condition.apply(dialect));
            statementsByDialect.set(dialect.ordinal(), statements);
        }
        return statements;
    }

    private Optional<T> update(Handle handle, Statements statements, Object key) {
        if (statements.returning() == null) {
            int rows = bind(handle.createUpdate(statements.update()), key).execute();
            requireAtMostOneRow(rows);
            return rows == 0 ? Optional.empty() : Optional.of(readBack(handle, statements, key));
        }
        List<T> returned = bind(handle.createQuery(statements.returning()), key).mapTo(resultType).list();
        requireAtMostOneRow(returned.size());
        return returned.stream().findFirst();
    }

    /** Step 3: the row is locked by us and satisfies the condition, so this update matches it. */
    private T updateHoldingLock(Handle handle, Statements statements, Object key) {
        if (statements.returning() == null) {
            // Zero rows is possible here: with useAffectedRows=true a matched but unchanged row counts as 0.
            requireAtMostOneRow(bind(handle.createUpdate(statements.update()), key).execute());
            return readBack(handle, statements, key);
        }
        return update(handle, statements, key).orElseThrow(() -> new IllegalStateException(
                "the condition held on the locked row but the update did not match it; is the condition"
                        + " deterministic?"));
    }

    /** Step 2: empty if there is no row, else whether the condition holds on the locked row. */
    private Optional<Boolean> lockAndTest(Handle handle, Statements statements, Object key) {
        List<Integer> rows = bind(handle.createQuery(statements.lockAndTest()), key).mapTo(Integer.class).list();
        requireAtMostOneRow(rows.size());
        return rows.stream().findFirst().map(holds -> holds == 1);
    }

    /** Reads our own, still locked, write back: MariaDB/MySQL have no UPDATE ... RETURNING. */
    private T readBack(Handle handle, Statements statements, Object key) {
        return bind(handle.createQuery(statements.readBack()), key).mapTo(resultType).one();
    }

    private <S extends org.jdbi.v3.core.statement.SqlStatement<S>> S bind(S statement, Object key) {
        parameters.forEach(statement::bind);
        return statement.bind(KEY, key);
    }

    /**
     * The SQL text of one change in one dialect.
     *
     * @param update step 1 (and 3) as a plain update
     * @param returning step 1 returning the new value, or null where the dialect cannot (MariaDB)
     * @param lockAndTest step 2: locks the row and reports whether the condition holds
     * @param readBack reads the new value of our own, still locked, write where there is no returning
     */
    private record Statements(String update, String returning, String lockAndTest, String readBack) {

        static Statements of(Dialect dialect, SqlIdentifier table, SqlIdentifier keyColumn, SqlIdentifier resultColumn,
                String assignments, String condition) {
            String quotedTable = table.quoted(dialect);
            String keyMatches = " WHERE " + keyColumn.quoted(dialect) + " = :" + KEY;
            String result = resultColumn.quoted(dialect);
            String update = "UPDATE " + quotedTable + " SET " + assignments + keyMatches + " AND " + condition;
            String returning = switch (dialect) {
                case POSTGRESQL -> update + " RETURNING " + result;
                case H2 -> "SELECT " + result + " FROM FINAL TABLE (" + update + ")";
                // MariaDB/MySQL have no UPDATE ... RETURNING: the update is followed by a read back.
                case MARIADB -> null;
            };
            return new Statements(update, returning,
                    "SELECT CASE WHEN " + condition + " THEN 1 ELSE 0 END FROM " + quotedTable + keyMatches
                            + " FOR UPDATE",
                    "SELECT " + result + " FROM " + quotedTable + keyMatches);
        }
    }

    private static void requireAtMostOneRow(int rows) {
        if (rows > 1) {
            throw new IllegalStateException("the key matched " + rows
                    + " rows; the key column must be unique (roll back: the update may have changed them)");
        }
    }
}
