package io.raceguard.jdbc;

import static io.raceguard.jdbc.LimitState.DECIDED_AT_MS;
import static io.raceguard.jdbc.LimitState.EXPIRES_AT_MS;
import static io.raceguard.jdbc.LimitState.LOG_MS;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The sliding-log arithmetic of {@code io.raceguard.limit} in SQL, on one column, {@code log_ms}: a
 * string of exactly {@code L} entries of {@value #ENTRY_WIDTH} decimal digits each, in ascending order,
 * each the time {@code e_i + W} at which one permit leaves the window. An entry at or before {@code t}
 * is outside the window; a fresh row starts with {@code L - n} entries of zero, which stand for "no
 * permit". So the row is the last {@code L} permits granted, and with the entries in order:
 *
 * <ul>
 *   <li>{@code n} more fit iff the {@code n}-th entry is outside the window (so are all before it);
 *   <li>an allowed request drops the first {@code n} entries and appends {@code n} entries
 *       {@code t + W}, which keeps the order because {@code t} never goes below the last decision's;
 *   <li>a refused request waits for its {@code n}-th entry: {@code retryAfter = entry_n - t}, the
 *       {@code (c + n - L)}-th oldest entry inside the window, as the specification has it;
 *   <li>{@code remaining} is the number of entries outside the window, counted over the {@code L}
 *       positions.
 * </ul>
 *
 * The log is rewritten whole on each allowed request: {@value #ENTRY_WIDTH} characters per permit of
 * the limit, at most {@link io.raceguard.limit.RateLimit#MAX_SLIDING_LOG_LIMIT} of them.
 */
final class SlidingLogArithmetic implements LimitArithmetic {

    /** Digits per entry: milliseconds since the epoch fit until the year 318,857. */
    static final int ENTRY_WIDTH = 16;

    private final SqlArithmetic sql;
    private final long limit;
    private final String window;

    SlidingLogArithmetic(long limit, long windowMillis, SqlArithmetic sql) {
        this.sql = sql;
        this.limit = limit;
        this.window = Long.toString(windowMillis);
    }

    @Override
    public Map<String, String> fresh() {
        Map<String, String> row = new LinkedHashMap<>();
        String empty = "'" + "0".repeat(ENTRY_WIDTH) + "'";
        row.put(LOG_MS, "CONCAT(REPEAT(" + empty + ", " + sql.integer(limit + " - " + sql.permits()) + "), "
                + appended(sql.now()) + ")");
        row.put(EXPIRES_AT_MS, sql.now() + " + " + window);
        row.put(DECIDED_AT_MS, sql.now());
        return row;
    }

    @Override
    public String allowed(LimitState old) {
        return blocking(old) + " <= " + sql.time(old);
    }

    /** In the order MariaDB's left-to-right assignment needs: each reads only columns after it. */
    @Override
    public Map<String, String> next(LimitState old) {
        Map<String, String> row = new LinkedHashMap<>();
        String kept = "SUBSTRING(" + old.log() + ", " + sql.integer(sql.permits() + " * " + ENTRY_WIDTH + " + 1") + ")";
        row.put(LOG_MS, "CONCAT(" + kept + ", " + appended(sql.time(old)) + ")");
        row.put(EXPIRES_AT_MS, sql.time(old) + " + " + window);
        row.put(DECIDED_AT_MS, sql.time(old));
        return row;
    }

    @Override
    public String remaining(LimitState state) {
        return sql.countPositions(limit, position -> entry(state, position) + " <= " + sql.time(state));
    }

    @Override
    public String retryAfter(LimitState old) {
        return "(" + blocking(old) + " - " + sql.time(old) + ")";
    }

    /** @return the {@code n}-th entry, the one that must be outside the window for {@code n} permits */
    private String blocking(LimitState state) {
        return entry(state, sql.permits() + " - 1");
    }

    /** @return the entry at a 0-based position */
    private String entry(LimitState state, String position) {
        String start = sql.integer("(" + position + ") * " + ENTRY_WIDTH + " + 1");
        return sql.bigint("SUBSTRING(" + state.log() + ", " + start + ", " + ENTRY_WIDTH + ")");
    }

    /** @return {@code n} entries for permits granted at {@code time} */
    private String appended(String time) {
        return "REPEAT(LPAD(" + sql.decimal(time + " + " + window) + ", " + ENTRY_WIDTH + ", '0'), "
                + sql.integer(sql.permits()) + ")";
    }
}
