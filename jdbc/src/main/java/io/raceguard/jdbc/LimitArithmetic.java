package io.raceguard.jdbc;

import io.raceguard.limit.RateLimit;
import java.util.Map;

/**
 * One rate-limit algorithm as SQL expressions: exactly the integer arithmetic written down in
 * {@code io.raceguard.limit}'s package documentation, step for step, so that a policy decides the
 * same in a database as in memory. Every expression reads the statement's single database time
 * {@code t} and the bound permits {@code n}; the limit {@code L} and the window {@code W} are literals.
 *
 * <p>Implementations are immutable; each is built for one policy and one dialect.
 */
interface LimitArithmetic {

    /**
     * @param policy the policy whose algorithm, limit and window to write
     * @param sql the dialect's arithmetic
     * @return the policy's arithmetic
     */
    static LimitArithmetic of(RateLimit policy, SqlArithmetic sql) {
        return switch (policy.algorithm()) {
            case FIXED_WINDOW -> new FixedWindowArithmetic(policy.limit(), policy.windowMillis(), sql);
            case SLIDING_WINDOW -> new SlidingWindowArithmetic(policy.limit(), policy.windowMillis(), sql);
            case SLIDING_LOG -> new SlidingLogArithmetic(policy.limit(), policy.windowMillis(), sql);
            case TOKEN_BUCKET -> new TokenBucketArithmetic(policy.limit(), policy.windowMillis(), sql);
        };
    }

    /** @return the columns of a row created by an allowed request on a key without state */
    Map<String, String> fresh();

    /** @return a boolean expression: whether the request is allowed on the stored state {@code old} */
    String allowed(LimitState old);

    /**
     * @return the columns an allowed request writes, each computed from {@code old} alone, so that
     *     they may be assigned simultaneously (standard SQL)
     */
    Map<String, String> next(LimitState old);

    /**
     * For MariaDB, whose {@code ON DUPLICATE KEY UPDATE} assigns from left to right (each assignment
     * sees the ones before it) unless {@code SIMULTANEOUS_ASSIGNMENT} is set: a value, positive if and
     * only if the request is allowed, computed from {@code old} before anything is assigned.
     */
    default String carrier(LimitState old) {
        return "CASE WHEN " + allowed(old) + " THEN 1 ELSE 0 END";
    }

    /** @return the {@link #carrier} of a request on a key without state: positive, it is always allowed */
    default String freshCarrier() {
        return "1";
    }

    /**
     * @param carrier SQL reading the value {@link #carrier} computed
     * @return the columns an allowed request writes, in an order in which each value reads only
     *     {@code carrier} and columns not assigned before it, so that it is right whether the
     *     assignments see each other or not
     */
    default Map<String, String> nextAfterCarrier(String carrier, LimitState old) {
        return next(old);
    }

    /**
     * @param state the state after the decision: the new state if allowed, the untouched one if refused
     * @return {@code remaining}, the permits still available at {@code t}
     */
    String remaining(LimitState state);

    /**
     * @param old the state a refused request left untouched
     * @return {@code retryAfter} in milliseconds; may be NULL or meaningless for an allowed request
     */
    String retryAfter(LimitState old);
}
