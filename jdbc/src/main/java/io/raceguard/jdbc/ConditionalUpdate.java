package io.raceguard.jdbc;

import static java.util.Objects.requireNonNull;

import io.raceguard.Outcome;
import io.raceguard.Rejection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.jdbi.v3.core.Handle;

/**
 * One conditional single-row update, run with the three steps described in {@link GuardedUpdates}.
 * Immutable: the SQL is assembled per dialect from validated identifiers, values are bound.
 *
 * @param <T> the type the result column is read as
 */
final class ConditionalUpdate<T> implements GuardedUpdates.Change<T> {

    private static final String KEY = "key";

    private final SqlIdentifier table;
    private final SqlIdentifier keyColumn;
    private final SqlIdentifier resultColumn;
    private final Class<T> resultType;
    private final Rejection whenConditionFails;
    private final Function<Dialect, String> assignments;
    private final Function<Dialect, String> condition;
    private final Map<String, Object> parameters;

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
            Dialect dialect = Dialect.of(transaction.getConnection());
            Optional<T> updated = update(transaction, dialect, key);
            if (updated.isPresent()) {
                return Outcome.applied(updated.get());
            }
            Optional<Boolean> holds = lockAndTest(transaction, dialect, key);
            if (holds.isEmpty()) {
                return Outcome.rejected(Rejection.NOT_FOUND);
            }
            if (!holds.get()) {
                return Outcome.rejected(whenConditionFails);
            }
            return Outcome.applied(updateHoldingLock(transaction, dialect, key));
        });
    }

    private Optional<T> update(Handle handle, Dialect dialect, Object key) {
        if (dialect == Dialect.MARIADB) {
            int rows = bind(handle.createUpdate(updateSql(dialect)), key).execute();
            requireAtMostOneRow(rows);
            return rows == 0 ? Optional.empty() : Optional.of(readBack(handle, dialect, key));
        }
        List<T> returned = bind(handle.createQuery(returningSql(dialect)), key).mapTo(resultType).list();
        requireAtMostOneRow(returned.size());
        return returned.stream().findFirst();
    }

    /** Step 3: the row is locked by us and satisfies the condition, so this update matches it. */
    private T updateHoldingLock(Handle handle, Dialect dialect, Object key) {
        if (dialect == Dialect.MARIADB) {
            // Zero rows is possible here: with useAffectedRows=true a matched but unchanged row counts as 0.
            requireAtMostOneRow(bind(handle.createUpdate(updateSql(dialect)), key).execute());
            return readBack(handle, dialect, key);
        }
        return update(handle, dialect, key).orElseThrow(() -> new IllegalStateException(
                "the condition held on the locked row but the update did not match it; is the condition deterministic?"));
    }

    /** Step 2: empty if there is no row, else whether the condition holds on the locked row. */
    private Optional<Boolean> lockAndTest(Handle handle, Dialect dialect, Object key) {
        String sql = "SELECT CASE WHEN " + condition.apply(dialect) + " THEN 1 ELSE 0 END FROM "
                + table.quoted(dialect) + " WHERE " + keyColumn.quoted(dialect) + " = :" + KEY + " FOR UPDATE";
        List<Integer> rows = bind(handle.createQuery(sql), key).mapTo(Integer.class).list();
        requireAtMostOneRow(rows.size());
        return rows.stream().findFirst().map(holds -> holds == 1);
    }

    /** Reads our own, still locked, write back: MariaDB/MySQL have no UPDATE ... RETURNING. */
    private T readBack(Handle handle, Dialect dialect, Object key) {
        String sql = "SELECT " + resultColumn.quoted(dialect) + " FROM " + table.quoted(dialect)
                + " WHERE " + keyColumn.quoted(dialect) + " = :" + KEY;
        return bind(handle.createQuery(sql), key).mapTo(resultType).one();
    }

    private String updateSql(Dialect dialect) {
        return "UPDATE " + table.quoted(dialect) + " SET " + assignments.apply(dialect)
                + " WHERE " + keyColumn.quoted(dialect) + " = :" + KEY + " AND " + condition.apply(dialect);
    }

    private String returningSql(Dialect dialect) {
        return switch (dialect) {
            case POSTGRESQL -> updateSql(dialect) + " RETURNING " + resultColumn.quoted(dialect);
            case H2 -> "SELECT " + resultColumn.quoted(dialect) + " FROM FINAL TABLE (" + updateSql(dialect) + ")";
            case MARIADB -> throw new IllegalArgumentException("MariaDB has no UPDATE ... RETURNING");
        };
    }

    private <S extends org.jdbi.v3.core.statement.SqlStatement<S>> S bind(S statement, Object key) {
        parameters.forEach(statement::bind);
        return statement.bind(KEY, key);
    }

    private static void requireAtMostOneRow(int rows) {
        if (rows > 1) {
            throw new IllegalStateException("the key matched " + rows
                    + " rows; the key column must be unique (roll back: the update may have changed them)");
        }
    }
}
