package io.raceguard.testing;

import static java.util.Objects.requireNonNull;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.StringJoiner;
import javax.sql.DataSource;

/**
 * Invariants on the rows of a database table, read with plain JDBC after each round: no duplicate
 * rows, the number of rows, and the sum of a column.
 *
 * <pre>{@code
 * Table redemptions = Table.of(dataSource, "coupon_redemptions").where("code", "SAVE20");
 * hammer.fire(i -> coupons.redeem("SAVE20", "user-" + i))
 *       .expect(redemptions.hasNoDuplicateRows("code", "user_id"),
 *               redemptions.rowCount().isAtMost(1),
 *               Table.of(dataSource, "coupons").where("code", "SAVE20").sumOf("uses").staysWithin(0, 1));
 * }</pre>
 *
 * <p>Table and column names must match {@code [A-Za-z_][A-Za-z0-9_]*} (a table may be
 * schema-qualified) and are used unquoted, folded to the database's case as in the user's own SQL;
 * values are always bound parameters. Each check opens one connection from the data source, reads in
 * auto-commit mode, and closes it; use a data source that sees what the calls committed.
 *
 * <p>Immutable and thread-safe: {@link #where} returns a copy.
 */
public final class Table {

    private final DataSource dataSource;
    private final String name;
    private final List<Map.Entry<String, Object>> conditions;

    private Table(DataSource dataSource, String name, List<Map.Entry<String, Object>> conditions) {
        this.dataSource = dataSource;
        this.name = name;
        this.conditions = List.copyOf(conditions);
    }

    /**
     * @param dataSource where the table lives
     * @param name the table, optionally schema-qualified: {@code shop.orders}
     * @return the table
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if {@code name} is not a plain or schema-qualified name
     */
    public static Table of(DataSource dataSource, String name) {
        return new Table(requireNonNull(dataSource, "dataSource"), SqlName.table(name), List.of());
    }

    /**
     * @param column a column to filter on
     * @param value the value the rows must hold in it, bound as a parameter
     * @return a copy that checks only the rows where {@code column = value}, and any earlier conditions
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if {@code column} is not a plain name
     */
    public Table where(String column, Object value) {
        List<Map.Entry<String, Object>> more = new ArrayList<>(conditions);
        more.add(Map.entry(SqlName.column(column), requireNonNull(value, "value")));
        return new Table(dataSource, name, more);
    }

    /**
     * No two rows agree on all the given columns (a user signed up twice, a coupon redeemed twice by
     * one user); a repeat is labelled a duplicate. Works on tables without a unique constraint, which
     * is where the race shows.
     *
     * @param column the first column of the key
     * @param more further columns of the key
     * @return the invariant
     * @throws NullPointerException if a column is null
     * @throws IllegalArgumentException if a column is not a plain name
     */
    public Invariant<Object> hasNoDuplicateRows(String column, String... more) {
        List<String> key = new ArrayList<>();
        key.add(SqlName.column(column));
        for (String another : more) {
            key.add(SqlName.column(another));
        }
        return new DuplicateRows(this, key);
    }

    /**
     * @param column a numeric column
     * @return the sum of that column over the rows (0 when there are none), to state an invariant on
     * @throws NullPointerException if {@code column} is null
     * @throws IllegalArgumentException if {@code column} is not a plain name
     */
    public ColumnSum sumOf(String column) {
        return new ColumnSum(this, SqlName.column(column));
    }

    /**
     * @return the number of rows (that match the conditions), to state an invariant on:
     *     {@code Table.of(dataSource, "signups").where("email", "alice@example.com").rowCount().isAtMost(1)}
     */
    public RowCount rowCount() {
        return new RowCount(this);
    }

    /** @return {@code orders where status = PAID}, for messages */
    @Override
    public String toString() {
        StringJoiner where = new StringJoiner(" and ", " where ", "").setEmptyValue("");
        conditions.forEach(condition -> where.add(condition.getKey() + " = " + Words.shortText(condition.getValue())));
        return name + where;
    }

    /** Reads {@code SELECT <select> FROM <table> [WHERE ...] [<suffix>]}, every value bound. */
    <R> R query(String select, String suffix, ResultReader<R> reader) throws SQLException {
        StringJoiner where = new StringJoiner(" AND ", " WHERE ", "").setEmptyValue("");
        conditions.forEach(condition -> where.add(condition.getKey() + " = ?"));
        String sql = "SELECT " + select + " FROM " + name + where + suffix;
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < conditions.size(); i++) {
                statement.setObject(i + 1, conditions.get(i).getValue());
            }
            try (ResultSet rows = statement.executeQuery()) {
                return reader.read(rows);
            }
        }
    }

    /** Reads the sum of a column; 0 when no row matches. */
    BigDecimal sum(String column) throws SQLException {
        return query("SUM(" + column + ")", "", rows -> {
            BigDecimal sum = rows.next() ? rows.getBigDecimal(1) : null;
            return sum == null ? BigDecimal.ZERO : sum;
        });
    }

    /** Reads the number of rows. */
    long count() throws SQLException {
        return query("COUNT(*)", "", rows -> {
            rows.next();
            return rows.getLong(1);
        });
    }

    /** Reads a result set. */
    @FunctionalInterface
    interface ResultReader<R> {
        R read(ResultSet rows) throws SQLException;
    }

    /** Groups the rows by a key and reports the groups with more than one row. */
    private static final class DuplicateRows implements Invariant<Object> {

        private static final int GROUPS_SHOWN = 3;

        private final Table table;
        private final List<String> key;

        DuplicateRows(Table table, List<String> key) {
            this.table = table;
            this.key = List.copyOf(key);
        }

        @Override
        public String description() {
            return "no duplicate rows in " + table + " by (" + String.join(", ", key) + ")";
        }

        @Override
        public Check<Object> beforeRound() {
            return round -> check();
        }

        private Optional<Violation> check() throws SQLException {
            String columns = String.join(", ", key);
            List<String> shown = new ArrayList<>();
            int groups = table.query(columns + ", COUNT(*)", " GROUP BY " + columns + " HAVING COUNT(*) > 1", rows -> {
                int found = 0;
                while (rows.next()) {
                    if (found++ < GROUPS_SHOWN) {
                        StringJoiner values = new StringJoiner(", ", "(", ")");
                        for (int i = 1; i <= key.size(); i++) {
                            values.add(Words.shortText(rows.getObject(i)));
                        }
                        shown.add(values + " x" + rows.getLong(key.size() + 1));
                    }
                }
                return found;
            });
            if (groups == 0) {
                return Optional.empty();
            }
            return Optional.of(Violation.of(Anomaly.DUPLICATE, groups + (groups == 1 ? " key" : " keys")
                    + " repeated in " + table + " by (" + columns + "): " + String.join(", ", shown)
                    + (groups > GROUPS_SHOWN ? ", ..." : "") + " (expected none)"));
        }

        @Override
        public String toString() {
            return description();
        }
    }
}
