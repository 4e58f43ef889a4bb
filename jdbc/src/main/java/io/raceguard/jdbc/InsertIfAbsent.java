package io.raceguard.jdbc;

import static java.util.Objects.requireNonNull;

import io.raceguard.BackendException;
import io.raceguard.Outcome;
import io.raceguard.Rejection;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Handle;

/** The per-vendor insert-if-absent described in {@link GuardedUpdates#insertIfAbsent}. */
final class InsertIfAbsent<K> {

    private final SqlIdentifier table;
    private final SqlIdentifier keyColumn;
    private final List<SqlIdentifier> columns;
    private final List<Object> values;
    private final Class<K> keyType;

    InsertIfAbsent(SqlIdentifier table, SqlIdentifier keyColumn, Map<SqlIdentifier, Object> row, Class<K> keyType) {
        this.table = table;
        this.keyColumn = keyColumn;
        this.columns = List.copyOf(row.keySet());
        this.values = Collections.unmodifiableList(new ArrayList<>(row.values()));
        this.keyType = keyType;
    }

    /** Validates the column names, before any I/O, keeping the caller's order. */
    static Map<SqlIdentifier, Object> columns(Map<String, ?> values) {
        requireNonNull(values, "values");
        if (values.isEmpty()) {
            throw new IllegalArgumentException("values must name at least one column");
        }
        Map<SqlIdentifier, Object> row = new LinkedHashMap<>();
        values.forEach((column, value) -> row.put(SqlIdentifier.of(requireNonNull(column, "column name")), value));
        return row;
    }

    /**
     * With no transaction open on the handle, runs {@link #attempt} in a transaction of its own and
     * runs that again while it loses a race; inside the caller's transaction, runs it once.
     */
    Outcome<K> execute(Handle handle) {
        if (!handle.isInTransaction()) {
            return StoreStatements.retryingLostRaces("inserting a row if absent",
                    () -> handle.inTransaction(this::attempt));
        }
        try {
            return attempt(handle);
        } catch (RuntimeException failure) {
            if (Savepoints.endsTransaction(failure)) {
                throw new BackendException("insertIfAbsent lost a race (" + SqlFailure.classify(failure).getClass()
                        .getSimpleName() + ") inside the caller's transaction, which must run again as a whole:"
                        + " run it through Transactions, which does so", failure);
            }
            throw failure;
        }
    }

    /** One insert in the handle's open transaction. */
    Outcome<K> attempt(Handle transaction) {
        Dialect dialect = Dialect.of(transaction.getConnection());
        if (dialect == Dialect.POSTGRESQL) {
            Optional<K> inserted = query(transaction, insertSql(dialect) + " ON CONFLICT DO NOTHING RETURNING "
                    + keyColumn.quoted(dialect)).findOne();
            if (inserted.isPresent()) {
                return Outcome.applied(inserted.get());
            }
            // ON CONFLICT DO NOTHING does not say which constraint refused the row; a plain insert does.
        }
        return Savepoints.attempt(transaction,
                () -> Outcome.applied(insertReturningKey(transaction, dialect)),
                InsertIfAbsent::duplicateOrRethrow);
    }

    private K insertReturningKey(Handle handle, Dialect dialect) {
        String insert = insertSql(dialect);
        return switch (dialect) {
            case POSTGRESQL -> query(handle, insert + " RETURNING " + keyColumn.quoted(dialect)).one();
            case H2 -> query(handle, "SELECT " + keyColumn.quoted(dialect) + " FROM FINAL TABLE (" + insert + ")")
                    .one();
            case MARIADB -> bindValues(handle.createUpdate(insert))
                    .executeAndReturnGeneratedKeys()
                    .mapTo(keyType)
                    .findFirst()
                    .orElseThrow(() -> new IllegalStateException(
                            "the insert returned no generated key; on MariaDB/MySQL the key column must be"
                                    + " AUTO_INCREMENT"));
        };
    }

    private static <K> Outcome<K> duplicateOrRethrow(RuntimeException failure) {
        if (SqlFailure.classify(failure) instanceof SqlFailure.UniqueViolation duplicate) {
            return Outcome.rejected(Rejection.DUPLICATE, Objects.toString(duplicate.constraint(), ""));
        }
        throw failure;
    }

    private org.jdbi.v3.core.result.ResultIterable<K> query(Handle handle, String sql) {
        return bindValues(handle.createQuery(sql)).mapTo(keyType);
    }

    private String insertSql(Dialect dialect) {
        String names = columns.stream().map(column -> column.quoted(dialect)).collect(Collectors.joining(", "));
        StringBuilder placeholders = new StringBuilder();
        for (int i = 0; i < columns.size(); i++) {
            placeholders.append(i == 0 ? ":v" : ", :v").append(i);
        }
        return "INSERT INTO " + table.quoted(dialect) + " (" + names + ") VALUES (" + placeholders + ")";
    }

    private <S extends org.jdbi.v3.core.statement.SqlStatement<S>> S bindValues(S statement) {
        for (int i = 0; i < values.size(); i++) {
            statement.bind("v" + i, values.get(i));
        }
        return statement;
    }
}
