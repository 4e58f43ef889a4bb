package io.raceguard.jdbc;

import java.util.Map;

/**
 * The sliding-window-counter arithmetic of {@code io.raceguard.limit} in SQL: state
 * {@code (k_s, c_s, p_s)} in {@code (window_index, window_count, previous_count)}. The weighted
 * estimate {@code c + p * r / W} is never rounded: it is compared as {@code p * r <= (L - c - n) * W}.
 */
final class SlidingWindowArithmetic implements LimitArithmetic {

    private final SqlArithmetic sql;
    private final AlignedWindowSql windows;
    private final String limit;
    private final String window;

    SlidingWindowArithmetic(long limit, long windowMillis, SqlArithmetic sql) {
        this.sql = sql;
        this.windows = new AlignedWindowSql(windowMillis, sql);
        this.limit = Long.toString(limit);
        this.window = Long.toString(windowMillis);
    }

    @Override
    public Map<String, String> fresh() {
        return windows.freshRow(2);
    }

    @Override
    public String allowed(LimitState old) {
        return "(" + windows.count(old) + " <= " + limit + " - " + sql.permits() + " AND " + previous(old) + " * "
                + overlap(old) + " <= (" + limit + " - " + windows.count(old) + " - " + sql.permits() + ") * " + window
                        + ")";
    }

    @Override
    public Map<String, String> next(LimitState old) {
        return windows.nextRow(old, 2, previous(old));
    }

    @Override
    public String remaining(LimitState state) {
        return sql.div("GREATEST(0, (" + limit + " - " + windows.count(state) + ") * " + window + " - "
                + previous(state)
                + " * " + overlap(state) + ")", window);
    }

    @Override
    public String retryAfter(LimitState old) {
        String spare = "(" + limit + " - " + windows.count(old) + " - " + sql.permits() + ")";
        // NULLIF: the divisor is positive whenever its branch decides a refusal; elsewhere NULL, not an error.
        return "(CASE WHEN " + spare + " >= 0"
                + " THEN " + overlap(old) + " - " + sql.div(spare + " * " + window, "NULLIF(" + previous(old) + ", 0)")
                + " ELSE " + overlap(old) + " + " + window + " - "
                + sql.div("(" + limit + " - " + sql.permits() + ") * " + window, "NULLIF(" + windows.count(old)
                        + ", 0)")
                + " END)";
    }

    /** Step 2: {@code p}, the count of window {@code k - 1}, rolled forward if the state is a window behind. */
    private String previous(LimitState state) {
        return "(CASE WHEN " + state.windowIndex() + " >= " + windows.currentIndex(state) + " THEN "
                + state.previousCount()
                + " WHEN " + state.windowIndex() + " = " + windows.currentIndex(state) + " - 1 THEN "
                        + state.windowCount()
                + " ELSE 0 END)";
    }

    /** Step 3: {@code r = W - (t - k * W)}, the milliseconds of the previous window still inside the last W. */
    private String overlap(LimitState state) {
        return "(" + window + " - (" + windows.time(state) + " - " + windows.index(state) + " * " + window + "))";
    }
}
