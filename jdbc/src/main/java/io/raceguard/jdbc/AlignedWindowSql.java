package io.raceguard.jdbc;

/**
 * Steps 1 and 2 shared by both window algorithms of {@code io.raceguard.limit}, in SQL: the window
 * {@code t} falls in, windows being aligned on multiples of their length, and the state's count in it.
 */
final class AlignedWindowSql {

    private final SqlArithmetic sql;
    private final String window;

    AlignedWindowSql(long windowMillis, SqlArithmetic sql) {
        this.sql = sql;
        this.window = Long.toString(windowMillis);
    }

    /** @return {@code div(t, W)} for a key without state */
    String freshIndex() {
        return sql.div(sql.now(), window);
    }

    /** @return {@code div(t, W)}, the window {@code t} falls in */
    String currentIndex(LimitState state) {
        return sql.div(sql.time(state), window);
    }

    /** @return {@code k}: the current window, or the state's if the clock stepped back behind it */
    String index(LimitState state) {
        return "GREATEST(" + currentIndex(state) + ", " + state.windowIndex() + ")";
    }

    /** @return {@code t}, moved to the start of the state's window if the clock stepped back behind it */
    String time(LimitState state) {
        return "(CASE WHEN " + state.windowIndex() + " > " + currentIndex(state) + " THEN " + state.windowIndex() + " * "
                + window + " ELSE " + sql.time(state) + " END)";
    }

    /** @return {@code c}: the state's count if it counted in window {@code k}, else 0 */
    String count(LimitState state) {
        return "(CASE WHEN " + state.windowIndex() + " >= " + currentIndex(state) + " THEN " + state.windowCount()
                + " ELSE 0 END)";
    }

    /** @return {@code (k + windows) * W}: from when a state written in window {@code k} can be dropped */
    String expiresAfter(LimitState state, int windows) {
        return "(" + index(state) + " + " + windows + ") * " + window;
    }

    /** @return {@link #expiresAfter} for a state written in the current window */
    String freshExpiresAfter(int windows) {
        return "(" + freshIndex() + " + " + windows + ") * " + window;
    }
}
