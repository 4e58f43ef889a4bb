package io.raceguard.jdbc;

import static io.raceguard.jdbc.LimitState.DECIDED_AT_MS;
import static io.raceguard.jdbc.LimitState.EXPIRES_AT_MS;
import static io.raceguard.jdbc.LimitState.PREVIOUS_COUNT;
import static io.raceguard.jdbc.LimitState.WINDOW_COUNT;
import static io.raceguard.jdbc.LimitState.WINDOW_INDEX;

import java.util.LinkedHashMap;
import java.util.Map;

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
        return "(CASE WHEN " + state.windowIndex() + " > " + currentIndex(state) + " THEN " + state.windowIndex()
                + " * "
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

    /**
     * @param windowsKept how many windows the state matters for
     * @return the row an allowed request writes for a key without state: {@code (div(t, W), n)}
     */
    Map<String, String> freshRow(int windowsKept) {
        Map<String, String> row = new LinkedHashMap<>();
        row.put(WINDOW_INDEX, freshIndex());
        row.put(WINDOW_COUNT, sql.permits());
        row.put(EXPIRES_AT_MS, "(" + freshIndex() + " + " + windowsKept + ") * " + window);
        row.put(DECIDED_AT_MS, sql.now());
        return row;
    }

    /**
     * @param windowsKept how many windows the state matters for
     * @param previousCount the new previous count, or null if the algorithm keeps none
     * @return the columns an allowed request writes: {@code (k, c + n)}, in the order
     *     {@link LimitArithmetic#nextAfterCarrier} asks for (each reads only columns after it)
     */
    Map<String, String> nextRow(LimitState old, int windowsKept, String previousCount) {
        Map<String, String> row = new LinkedHashMap<>();
        row.put(EXPIRES_AT_MS, expiresAfter(old, windowsKept));
        if (previousCount != null) {
            row.put(PREVIOUS_COUNT, previousCount);
        }
        row.put(WINDOW_COUNT, count(old) + " + " + sql.permits());
        row.put(WINDOW_INDEX, index(old));
        row.put(DECIDED_AT_MS, sql.time(old));
        return row;
    }
}
