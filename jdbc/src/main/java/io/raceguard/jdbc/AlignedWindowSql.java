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

    /** @return {@code div(t, W)}, the window {@code t} falls in */
    String currentIndex() {
        return sql.div(sql.now(), window);
    }

    /** @return {@code k}: the current window, or the state's if the clock stepped back behind it */
    String index(LimitState state) {
        return "GREATEST(" + currentIndex() + ", " + state.windowIndex() + ")";
    }

    /** @return {@code t}, moved to the start of the state's window if the clock stepped back behind it */
    String time(LimitState state) {
        return "(CASE WHEN " + state.windowIndex() + " > " + currentIndex() + " THEN " + state.windowIndex() + " * "
                + window + " ELSE " + sql.now() + " END)";
    }

    /** @return {@code c}: the state's count if it counted in window {@code k}, else 0 */
    String count(LimitState state) {
        return "(CASE WHEN " + state.windowIndex() + " >= " + currentIndex() + " THEN " + state.windowCount()
                + " ELSE 0 END)";
    }

    /** @return {@code (k + windows) * W}: from when a state written in window {@code k} can be dropped */
    String expiresAfter(LimitState state, int windows) {
        return "(" + index(state) + " + " + windows + ") * " + window;
    }

    /** @return {@link #expiresAfter} for a state written in the current window */
    String freshExpiresAfter(int windows) {
        return "(" + currentIndex() + " + " + windows + ") * " + window;
    }
}
