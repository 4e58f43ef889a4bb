package io.raceguard.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.statement.ColonPrefixSqlParser;
import org.jdbi.v3.core.statement.ParsedSql;

/**
 * A statement written with named parameters ({@code :name}), turned once into the positional form a
 * plain JDBC {@link PreparedStatement} takes, by Jdbi's default colon-prefix parser, so the text
 * means what it would mean to Jdbi. For hot paths where Jdbi's per-statement machinery (a
 * configuration copy, a statement context, the parse lookup, argument and column mapper resolution)
 * would be most of the client's work; BENCHMARKS.md has the figures.
 *
 * <p>Values are bound with {@link PreparedStatement#setObject(int, Object)}, so they must be types
 * every driver maps by itself: {@code byte[]}, {@code String}, {@code Long}, {@code Integer}.
 *
 * @param sql the text with a {@code ?} for every parameter
 * @param parameterNames the name of each {@code ?}, in order; a name may repeat
 */
record PositionalSql(String sql, List<String> parameterNames) {

    PositionalSql {
        parameterNames = List.copyOf(parameterNames);
    }

    /** @param namedSql the statement with {@code :name} parameters; never caller data */
    static PositionalSql parse(String namedSql) {
        ParsedSql parsed = new ColonPrefixSqlParser().parse(namedSql, null);
        return new PositionalSql(parsed.getSql(), parsed.getParameters().getParameterNames());
    }

    /**
     * Prepares the statement on {@code connection}, binds every parameter, hands it to {@code work}
     * and closes it.
     *
     * @param values a value for every parameter name
     * @param queryTimeoutSeconds the JDBC query timeout, or 0 for none
     * @return what {@code work} returned
     * @throws IllegalArgumentException if a parameter has no value (a bug, not a caller's mistake)
     */
    <T> T execute(Connection connection, Map<String, ?> values, int queryTimeoutSeconds,
            Work<T> work) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setQueryTimeout(queryTimeoutSeconds);
            for (int i = 0; i < parameterNames.size(); i++) {
                String name = parameterNames.get(i);
                Object value = values.get(name);
                if (value == null) {
                    throw new IllegalArgumentException("no value for :" + name);
                }
                statement.setObject(i + 1, value);
            }
            return work.apply(statement);
        }
    }

    /** Executes a bound statement and reads what it returned. */
    @FunctionalInterface
    interface Work<T> {
        T apply(PreparedStatement statement) throws SQLException;
    }
}
