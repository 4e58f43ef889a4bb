package io.raceguard.jdbc;

/** The locking existence check that tells a missing row from a failed condition. */
final class RowExistence {

    static final String KEY_PARAMETER = "raceguard_key";

    private RowExistence() {}

    /** A query that returns a row, and locks it, if the table holds one with the bound key. */
    static String lockingQuery(SqlIdentifier table, SqlIdentifier keyColumn, Dialect dialect) {
        return "SELECT 1 FROM " + table.quoted(dialect) + " WHERE " + keyColumn.quoted(dialect)
                + " = :" + KEY_PARAMETER + " FOR UPDATE";
    }
}
