package io.raceguard.jdbc;

import java.util.function.Function;

/**
 * Integer arithmetic written for one dialect, on BIGINT operands that are never negative where a
 * division or a remainder takes them (so truncating division is the floor the rate-limit arithmetic
 * asks for), plus the values every rate-limit formula reads: the database's time {@code t} and the
 * permits asked for. The limit and the window are constants of a policy, validated as longs, and are
 * written into the SQL as literals.
 */
final class SqlArithmetic {

    private final Dialect dialect;
    private final String now;

    private SqlArithmetic(Dialect dialect, String now) {
        this.dialect = dialect;
        this.now = now;
    }

    /** @return arithmetic on the database's clock */
    static SqlArithmetic onDatabaseTime(Dialect dialect) {
        return new SqlArithmetic(dialect, DatabaseTime.nowMillis(dialect));
    }

    /**
     * For tests that hold the SQL arithmetic to the in-memory reference at chosen times.
     *
     * @return arithmetic whose {@code t} is the constant {@code millis}
     */
    static SqlArithmetic atFixedTime(Dialect dialect, long millis) {
        return new SqlArithmetic(dialect, Long.toString(millis));
    }

    Dialect dialect() {
        return dialect;
    }

    /** @return {@code floor(a / b)} for {@code a >= 0, b > 0} */
    String div(String a, String b) {
        return dialect == Dialect.MARIADB ? "((" + a + ") DIV (" + b + "))" : "((" + a + ") / (" + b + "))";
    }

    /** @return {@code a mod b} for {@code a >= 0, b > 0} */
    String mod(String a, String b) {
        return "MOD(" + a + ", " + b + ")";
    }

    /** @return {@code ceil(a / b)} for {@code a >= 0, b > 0} */
    String ceilDiv(String a, String b) {
        return "(" + div(a, b) + " + CASE WHEN " + mod(a, b) + " > 0 THEN 1 ELSE 0 END)";
    }

    /** @return the database's time in whole milliseconds, the same throughout the statement */
    String now() {
        return now;
    }

    /**
     * @param state the key's stored state
     * @return {@code t} for a decision on that state: the database's time, or the time of the key's
     *     last allowed decision if that is later. A statement reads the clock when it starts, before it
     *     waits for the row's lock, so the statements a burst queues on one row would otherwise decide
     *     at times that go backwards in the order they decide; this keeps each key's times in order,
     *     as if the clock were read while holding the lock.
     */
    String time(LimitState state) {
        return "GREATEST(" + now + ", " + state.decidedAtMs() + ")";
    }

    /** @return {@code a} as an INTEGER where the dialect's string functions take no BIGINT (PostgreSQL) */
    String integer(String a) {
        return dialect == Dialect.POSTGRESQL ? "CAST(" + a + " AS INTEGER)" : a;
    }

    /** @return the BIGINT {@code a} in decimal, as a string */
    String decimal(String a) {
        return switch (dialect) {
            case POSTGRESQL -> "CAST(" + a + " AS TEXT)";
            case MARIADB -> "CAST(" + a + " AS CHAR)";
            case H2 -> "CAST(" + a + " AS VARCHAR)";
        };
    }

    /** @return the string {@code a}, a decimal integer, as a BIGINT */
    String bigint(String a) {
        return "CAST(" + a + (dialect == Dialect.MARIADB ? " AS SIGNED)" : " AS BIGINT)");
    }

    /**
     * @param count how many positions, {@code >= 1}
     * @param condition the condition on one position, given the SQL that reads it
     * @return a scalar subquery: how many of the positions {@code 0..count-1} meet the condition
     */
    String countPositions(long count, Function<String, String> condition) {
        String last = Long.toString(count - 1);
        return switch (dialect) {
            case POSTGRESQL -> "(SELECT COUNT(*) FROM generate_series(0, " + last + ") AS p(position) WHERE "
                    + condition.apply("p.position") + ")";
            // MariaDB's Sequence engine, built in since 10.0: a virtual table per range.
            case MARIADB -> "(SELECT COUNT(*) FROM seq_0_to_" + last + " p WHERE " + condition.apply("p.seq") + ")";
            case H2 -> "(SELECT COUNT(*) FROM SYSTEM_RANGE(0, " + last + ") p WHERE " + condition.apply("p.X") + ")";
        };
    }

    /** @return {@code n}: the permits asked for, a bound parameter typed as BIGINT */
    String permits() {
        return dialect == Dialect.MARIADB ? ":permits" : "CAST(:permits AS BIGINT)";
    }
}
