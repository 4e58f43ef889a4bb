package io.raceguard.jdbc;

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
        return windows.freshRow(1);
    }

    @Override
    public String allowed(LimitState old) {
        return windows.count(old) + " <= " + limit + " - " + sql.permits();
    }

    @Override
    public Map<String, String> next(LimitState old) {
        return windows.nextRow(old, 1, null);
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
