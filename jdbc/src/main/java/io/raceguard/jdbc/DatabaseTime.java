package io.raceguard.jdbc;

/**
 * SQL for the database's clock, per dialect: the stores never read a JVM clock for an expiry or a
 * window. Every expression here reads a time that is fixed for the whole statement, so one statement
 * sees one "now" however often it names it:
 *
 * <ul>
 *   <li>PostgreSQL: {@code statement_timestamp()}, the start of the current statement (unlike
 *       {@code now()}, which is the start of the transaction);
 *   <li>MariaDB: {@code UTC_TIMESTAMP(6)}, the start of the statement in UTC, so that the session's
 *       {@code time_zone} cannot shift it;
 *   <li>H2: {@code CURRENT_TIMESTAMP}, which H2 fixes for a whole transaction: in a long transaction
 *       every statement sees the transaction's start.
 * </ul>
 */
final class DatabaseTime {

    private DatabaseTime() {}

    /** @return the current timestamp, as the type the tables' timestamp columns hold */
    static String now(Dialect dialect) {
        return switch (dialect) {
            case POSTGRESQL -> "statement_timestamp()";
            case MARIADB -> "UTC_TIMESTAMP(6)";
            case H2 -> "CURRENT_TIMESTAMP(6)";
        };
    }

    /**
     * @param microsParameter a named parameter holding a non-negative number of microseconds
     * @return the current timestamp plus that many microseconds
     */
    static String nowPlusMicros(Dialect dialect, String microsParameter) {
        return switch (dialect) {
            case POSTGRESQL -> "(statement_timestamp() + :" + microsParameter + " * INTERVAL '1 microsecond')";
            case MARIADB -> "(UTC_TIMESTAMP(6) + INTERVAL :" + microsParameter + " MICROSECOND)";
            case H2 -> "DATEADD(MICROSECOND, :" + microsParameter + ", CURRENT_TIMESTAMP(6))";
        };
    }

    /** @return the microseconds from now until the timestamp {@code column}, negative once it passed */
    static String microsUntil(Dialect dialect, String column) {
        return switch (dialect) {
            case POSTGRESQL -> "CAST(EXTRACT(EPOCH FROM (" + column + " - statement_timestamp())) * 1000000 AS BIGINT)";
            case MARIADB -> "TIMESTAMPDIFF(MICROSECOND, UTC_TIMESTAMP(6), " + column + ")";
            case H2 -> "DATEDIFF(MICROSECOND, CURRENT_TIMESTAMP(6), " + column + ")";
        };
    }

    /**
     * @return the current time in whole milliseconds since the Unix epoch, truncated, as a BIGINT: the
     *     {@code t} of the rate-limit arithmetic
     */
    static String nowMillis(Dialect dialect) {
        return switch (dialect) {
            case POSTGRESQL -> "CAST(FLOOR(EXTRACT(EPOCH FROM statement_timestamp()) * 1000) AS BIGINT)";
            case MARIADB -> "(TIMESTAMPDIFF(MICROSECOND, TIMESTAMP '1970-01-01 00:00:00', UTC_TIMESTAMP(6)) DIV 1000)";
            case H2 -> "CAST(FLOOR(EXTRACT(EPOCH FROM CURRENT_TIMESTAMP(6)) * 1000) AS BIGINT)";
        };
    }
}
