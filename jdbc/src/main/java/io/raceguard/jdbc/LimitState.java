package io.raceguard.jdbc;

import java.util.List;

/**
 * Where a statement reads the state columns of a rate-limit row: the SQL naming each column in one
 * place of the statement ({@code s.window_index} in an upsert's update clause, {@code o.window_index}
 * in a derived table). The rate-limit arithmetic is written against these references, so one formula
 * serves every place and every dialect.
 *
 * @param windowIndex the window the state counted in (both window algorithms)
 * @param windowCount that window's count
 * @param previousCount the count of the window before (sliding window)
 * @param arrivalMs the whole milliseconds of the theoretical arrival time (token bucket)
 * @param arrivalFraction its remainder in units of {@code 1/limit} millisecond
 * @param decidedAtMs the time {@code t} of the last allowed decision on the key (all algorithms)
 * @param log the sliding log's entries (see {@link SlidingLogArithmetic})
 */
record LimitState(String windowIndex, String windowCount, String previousCount, String arrivalMs,
        String arrivalFraction, String decidedAtMs, String log) {

    static final String WINDOW_INDEX = "window_index";
    static final String WINDOW_COUNT = "window_count";
    static final String PREVIOUS_COUNT = "previous_count";
    static final String ARRIVAL_MS = "arrival_ms";
    static final String ARRIVAL_FRACTION = "arrival_fraction";
    static final String DECIDED_AT_MS = "decided_at_ms";
    static final String LOG_MS = "log_ms";
    static final String EXPIRES_AT_MS = "expires_at_ms";

    /** The state columns, in table order. */
    static final List<String> COLUMNS =
            List.of(WINDOW_INDEX, WINDOW_COUNT, PREVIOUS_COUNT, ARRIVAL_MS, ARRIVAL_FRACTION, DECIDED_AT_MS, LOG_MS);

    /**
     * @param qualifier a table alias followed by a dot, or empty for bare column names
     * @return the columns as seen through that qualifier
     */
    static LimitState columnsOf(String qualifier) {
        return new LimitState(qualifier + WINDOW_INDEX, qualifier + WINDOW_COUNT, qualifier + PREVIOUS_COUNT,
                qualifier + ARRIVAL_MS, qualifier + ARRIVAL_FRACTION, qualifier + DECIDED_AT_MS, qualifier + LOG_MS);
    }
}
