package io.raceguard.jdbc;

import static io.raceguard.jdbc.LimitState.ARRIVAL_FRACTION;
import static io.raceguard.jdbc.LimitState.ARRIVAL_MS;
import static io.raceguard.jdbc.LimitState.DECIDED_AT_MS;
import static io.raceguard.jdbc.LimitState.EXPIRES_AT_MS;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The token-bucket (GCRA) arithmetic of {@code io.raceguard.limit} in SQL: state {@code (a, f)}, the
 * theoretical arrival time {@code a + f / L} milliseconds, in {@code (arrival_ms, arrival_fraction)};
 * time inside the bucket is counted in units of {@code 1/L} millisecond.
 */
final class TokenBucketArithmetic implements LimitArithmetic {

    private final SqlArithmetic sql;
    private final String limit;
    private final String window;
    private final String bucket;

    TokenBucketArithmetic(long limit, long windowMillis, SqlArithmetic sql) {
        this.sql = sql;
        this.limit = Long.toString(limit);
        this.window = Long.toString(windowMillis);
        this.bucket = Long.toString(limit * windowMillis);
    }

    @Override
    public Map<String, String> fresh() {
        return arrivalAfter(sql.now(), freshCarrier());
    }

    @Override
    public String allowed(LimitState old) {
        return backlog(old) + " <= (" + limit + " - " + sql.permits() + ") * " + window;
    }

    @Override
    public Map<String, String> next(LimitState old) {
        return arrivalAfter(sql.time(old), backlogAfter(old));
    }

    /** The new backlog {@code B'} if allowed, else 0: every new column follows from it alone. */
    @Override
    public String carrier(LimitState old) {
        return "CASE WHEN " + allowed(old) + " THEN " + backlogAfter(old) + " ELSE 0 END";
    }

    /** The backlog after an allowed request on an empty bucket: {@code n * W}. */
    @Override
    public String freshCarrier() {
        return "(" + sql.permits() + " * " + window + ")";
    }

    @Override
    public Map<String, String> nextAfterCarrier(String carrier, LimitState old) {
        return arrivalAfter(sql.time(old), carrier);
    }

    @Override
    public String remaining(LimitState state) {
        return sql.div(bucket + " - " + backlog(state), window);
    }

    @Override
    public String retryAfter(LimitState old) {
        return sql.ceilDiv(backlog(old) + " - (" + limit + " - " + sql.permits() + ") * " + window, limit);
    }

    /**
     * Step 2: the state kept for a backlog {@code B'} at {@code t}: {@code (t + div(B', L), mod(B', L))}, and when it
     * expires.
     */
    private Map<String, String> arrivalAfter(String time, String backlogAfter) {
        String arrival = "(" + time + " + " + sql.div(backlogAfter, limit) + ")";
        String fraction = sql.mod(backlogAfter, limit);
        Map<String, String> row = new LinkedHashMap<>();
        row.put(EXPIRES_AT_MS, arrival + " + CASE WHEN " + fraction + " > 0 THEN 1 ELSE 0 END");
        row.put(ARRIVAL_MS, arrival);
        row.put(ARRIVAL_FRACTION, fraction);
        row.put(DECIDED_AT_MS, time);
        return row;
    }

    /** Step 2: {@code B' = B + n * W}. */
    private String backlogAfter(LimitState old) {
        return "(" + backlog(old) + " + " + sql.permits() + " * " + window + ")";
    }

    /** Step 1: the backlog {@code B = max(TAT - t, 0)} in units, capped at the bucket if the clock stepped back. */
    private String backlog(LimitState state) {
        String ahead = "(" + state.arrivalMs() + " - " + sql.time(state) + ")";
        return "(CASE WHEN " + ahead + " < 0 THEN 0 WHEN " + ahead + " >= " + window + " THEN " + bucket
                + " ELSE " + ahead + " * " + limit + " + " + state.arrivalFraction() + " END)";
    }
}
