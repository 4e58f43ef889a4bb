package io.raceguard.jdbc;

import io.raceguard.limit.RateLimit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The one statement that decides a rate-limit request, for one dialect, table and policy. It returns
 * the columns {@code allowed} (1 or 0), {@code remaining} and {@code retry_after} (milliseconds), all
 * computed by the database on its own time. Parameters: {@code hash}, {@code key}, {@code policy} and
 * {@code permits}.
 *
 * <ul>
 *   <li>PostgreSQL: {@code INSERT ... ON CONFLICT (key_hash) DO UPDATE SET <next state> WHERE <allowed>
 *       RETURNING <state>}; a refused request updates nothing and returns nothing, so a second
 *       sub-statement of the same statement reads the state it was refused on, locked ({@code FOR
 *       UPDATE}, the lock the upsert holds anyway). Returns no row in one rare race (the row was
 *       inserted by another transaction after this statement's snapshot, and refused this request):
 *       run it again.
 *   <li>MariaDB: {@code INSERT ... ON DUPLICATE KEY UPDATE ... RETURNING}; every assignment keeps the
 *       old value unless the request is allowed, and the decision travels from the first assignment
 *       to the others and to {@code RETURNING} in {@code LAST_INSERT_ID(expr)}. Always one row.
 *   <li>H2: {@code MERGE} whose update writes the row back unchanged when refused, read through
 *       {@code OLD TABLE}: the state before the decision, from which the outer query decides again
 *       with the same arithmetic. No row means the key had no state and the request was allowed.
 * </ul>
 */
final class RateLimitStatement {

    private RateLimitStatement() {}

    static String of(SqlArithmetic sql, SqlIdentifier table, RateLimit policy) {
        LimitArithmetic arithmetic = LimitArithmetic.of(policy, sql);
        String name = table.quoted(sql.dialect());
        return switch (sql.dialect()) {
            case POSTGRESQL -> postgresql(name, arithmetic);
            case MARIADB -> mariadb(name, arithmetic);
            case H2 -> h2(name, arithmetic);
        };
    }

    private static String postgresql(String table, LimitArithmetic arithmetic) {
        LimitState old = LimitState.columnsOf("s.");
        LimitState outcome = LimitState.columnsOf("o.");
        String state = String.join(", ", LimitState.COLUMNS);
        return "WITH current AS (SELECT " + state + " FROM " + table + " WHERE key_hash = :hash FOR UPDATE),"
                + " decided AS (" + insert(table + " AS s", arithmetic.fresh(), "")
                + " ON CONFLICT (key_hash) DO UPDATE SET " + assignments(arithmetic.next(old))
                + " WHERE " + arithmetic.allowed(old)
                + " RETURNING " + state + "),"
                + " outcome AS (SELECT 1 AS allowed, " + state + " FROM decided"
                + " UNION ALL SELECT 0, " + state + " FROM current WHERE NOT EXISTS (SELECT 1 FROM decided))"
                + " SELECT o.allowed, " + arithmetic.remaining(outcome) + " AS remaining,"
                + " CASE WHEN o.allowed = 1 THEN 0 ELSE " + arithmetic.retryAfter(outcome) + " END AS retry_after"
                + " FROM outcome o";
    }

    private static String mariadb(String table, LimitArithmetic arithmetic) {
        LimitState old = LimitState.columnsOf("");
        String freshCarrier = arithmetic.freshCarrier();
        List<String> assignments = new ArrayList<>();
        String decided = "LAST_INSERT_ID(" + arithmetic.carrier(old) + ")";
        for (Map.Entry<String, String> column : arithmetic.nextAfterCarrier("LAST_INSERT_ID()", old).entrySet()) {
            assignments.add(column.getKey() + " = IF(" + decided + " > 0, " + column.getValue() + ", "
                    + column.getKey() + ")");
            decided = "LAST_INSERT_ID()";
        }
        String allowed = "LAST_INSERT_ID() > 0";
        return insert(table, arithmetic.fresh(), " + LAST_INSERT_ID(" + freshCarrier + ") - " + freshCarrier)
                + " ON DUPLICATE KEY UPDATE " + String.join(", ", assignments)
                + " RETURNING CASE WHEN " + allowed + " THEN 1 ELSE 0 END AS allowed, "
                + arithmetic.remaining(old) + " AS remaining,"
                + " CASE WHEN " + allowed + " THEN 0 ELSE " + arithmetic.retryAfter(old) + " END AS retry_after";
    }

    private static String h2(String table, LimitArithmetic arithmetic) {
        LimitState stored = LimitState.columnsOf("s.");
        Map<String, String> next = arithmetic.next(stored);
        String updates = next.entrySet().stream()
                .map(column -> column.getKey() + " = CASE WHEN " + arithmetic.allowed(stored) + " THEN "
                        + column.getValue() + " ELSE s." + column.getKey() + " END")
                .collect(Collectors.joining(", "));
        Map<String, String> fresh = arithmetic.fresh();
        String merge = "MERGE INTO " + table + " s USING (VALUES (CAST(:hash AS BINARY(32)))) v (key_hash)"
                + " ON s.key_hash = v.key_hash"
                + " WHEN MATCHED THEN UPDATE SET " + updates
                + " WHEN NOT MATCHED THEN INSERT (key_hash, limit_key, policy, " + String.join(", ", fresh.keySet())
                + ") VALUES (v.key_hash, :key, :policy, " + String.join(", ", fresh.values()) + ")";
        // No derived table around OLD TABLE: H2 re-parses derived tables and then refuses the parameters.
        LimitState before = LimitState.columnsOf("o.");
        String allowed = arithmetic.allowed(before);
        return "SELECT CASE WHEN " + allowed + " THEN 1 ELSE 0 END AS allowed,"
                + " CASE WHEN " + allowed + " THEN " + arithmetic.remaining(after(arithmetic.next(before), before))
                + " ELSE " + arithmetic.remaining(before) + " END AS remaining,"
                + " CASE WHEN " + allowed + " THEN 0 ELSE " + arithmetic.retryAfter(before) + " END AS retry_after"
                + " FROM OLD TABLE (" + merge + ") o";
    }

    /** @return the state after an allowed request: the written columns, and the others as they were */
    private static LimitState after(Map<String, String> written, LimitState before) {
        return new LimitState(
                written.getOrDefault(LimitState.WINDOW_INDEX, before.windowIndex()),
                written.getOrDefault(LimitState.WINDOW_COUNT, before.windowCount()),
                written.getOrDefault(LimitState.PREVIOUS_COUNT, before.previousCount()),
                written.getOrDefault(LimitState.ARRIVAL_MS, before.arrivalMs()),
                written.getOrDefault(LimitState.ARRIVAL_FRACTION, before.arrivalFraction()),
                written.getOrDefault(LimitState.DECIDED_AT_MS, before.decidedAtMs()),
                written.getOrDefault(LimitState.LOG_MS, before.log()));
    }

    private static String insert(String table, Map<String, String> fresh, String expiresSuffix) {
        List<String> values = new ArrayList<>();
        fresh.forEach((column, value) ->
                values.add(column.equals(LimitState.EXPIRES_AT_MS) ? "(" + value + ")" + expiresSuffix : value));
        return "INSERT INTO " + table + " (key_hash, limit_key, policy, " + String.join(", ", fresh.keySet()) + ")"
                + " VALUES (:hash, :key, :policy, " + String.join(", ", values) + ")";
    }

    private static String assignments(Map<String, String> columns) {
        return columns.entrySet().stream()
                .map(column -> column.getKey() + " = " + column.getValue())
                .collect(Collectors.joining(", "));
    }
}
