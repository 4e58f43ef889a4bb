package io.raceguard.jdbc;

import static java.util.Objects.requireNonNull;

import io.raceguard.Outcome;
import io.raceguard.Rejection;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.SqlStatements;

/** The caller's own conditional update, with an existence check when it updates nothing. */
final class RawConditionalUpdate {

    private final String sql;
    private final Map<String, Object> parameters;

    private RawConditionalUpdate(String sql, Map<String, Object> parameters) {
        this.sql = sql;
        this.parameters = parameters;
    }

    static RawConditionalUpdate of(String sql, Map<String, ?> parameters) {
        requireNonNull(sql, "sql");
        requireNonNull(parameters, "parameters");
        if (sql.isBlank()) {
            throw new IllegalArgumentException("sql must not be blank");
        }
        Map<String, Object> copy = new HashMap<>();
        parameters.forEach((name, value) -> copy.put(requireNonNull(name, "parameter name"), value));
        return new RawConditionalUpdate(sql, Collections.unmodifiableMap(copy));
    }

    Outcome<Integer> execute(Handle handle, Function<Dialect, String> existenceQuery,
            Map<String, ?> existenceParameters) {
        return handle.inTransaction(transaction -> {
            int rows = transaction.createUpdate(sql).bindMap(parameters).execute();
            if (rows > 0) {
                return Outcome.applied(rows);
            }
            boolean exists = transaction.createQuery(existenceQuery.apply(Dialect.of(transaction.getConnection())))
                    // The caller's query may use only some of the update's parameters.
                    .configure(SqlStatements.class, statements -> statements.setUnusedBindingAllowed(true))
                    .bindMap(parameters)
                    .bindMap(existenceParameters)
                    .mapTo(Integer.class)
                    .findFirst()
                    .isPresent();
            return Outcome.rejected(exists ? Rejection.CONDITION_FAILED : Rejection.NOT_FOUND);
        });
    }
}
