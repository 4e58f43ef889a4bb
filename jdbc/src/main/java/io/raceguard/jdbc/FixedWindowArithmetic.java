package io.raceguard.jdbc;

import static io.raceguard.jdbc.LimitState.DECIDED_AT_MS;
import static io.raceguard.jdbc.LimitState.EXPIRES_AT_MS;
import static io.raceguard.jdbc.LimitState.WINDOW_COUNT;
import static io.raceguard.jdbc.LimitState.WINDOW_INDEX;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The fixed-window arithmetic of {@code io.raceguard.limit} in SQL: state {@code (k_s, c_s)} in
 * {@code (window_index, window_count)}.
 */
final class FixedWindowArithmetic implements LimitArithmetic {

    private final SqlArithmetic sql;
    private final AlignedWindowSql windows;
    private final String limit;

    FixedWindowArithmetic(long limit, long windowMillis, SqlArithmetic sql) {
        this.sql = sql;
        this.windows = new AlignedWindowSql(windowMillis, sql);
        this.limit = Long.toString(limit);
    }

    @Override
    public Map<String, String> fresh() {
        Map<String, String> row = new LinkedHashMap<>();
        row.put(WINDOW_INDEX, windows.freshIndex());
        row.put(WINDOW_COUNT, sql.permits());
        row.put(EXPIRES_AT_MS, windows.freshExpiresAfter(1));
        row.put(DECIDED_AT_MS, sql.now());
        return row;
    }

    @Override
    public String allowed(LimitState old) {
        return windows.count(old) + " <= " + limit + " - " + sql.permits();
    }

    @Override
    public Map<String, String> next(LimitState old) {
        Map<String, String> row = new LinkedHashMap<>();
        row.put(EXPIRES_AT_MS, windows.expiresAfter(old, 1));
        row.put(WINDOW_COUNT, windows.count(old) + " + " + sql.permits());
        row.put(WINDOW_INDEX, windows.index(old));
        row.put(DECIDED_AT_MS, sql.time(old));
        return row;
    }

    @Override
    public String remaining(LimitState state) {
        return "(" + limit + " - " + windows.count(state) + ")";
    }

    @Override
    public String retryAfter(LimitState old) {
        return "(" + windows.expiresAfter(old, 1) + " - " + windows.time(old) + ")";
    }
}
