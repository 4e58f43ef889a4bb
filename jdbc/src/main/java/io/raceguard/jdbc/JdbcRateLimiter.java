package io.raceguard.jdbc;

import static java.util.Objects.requireNonNull;

import io.raceguard.internal.RateLimitRules;
import io.raceguard.limit.RateLimit;
import io.raceguard.limit.RateLimitDecision;
import io.raceguard.limit.RateLimiter;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * A {@link RateLimiter} whose state lives in a database table ({@value TableNames#DEFAULT_RATE_LIMITS}
 * by default), so that every process sharing the database shares each key's budget.
 *
 * <pre>{@code
 * Schema.defaults().create(jdbi);
 * RateLimiter logins = JdbcRateLimiter.create(jdbi, RateLimit.slidingWindow(5, Duration.ofMinutes(1)));
 * RateLimitDecision decision = logins.tryAcquire("login:" + clientIp);
 * if (!decision.allowed()) return tooManyRequests(decision.retryAfter());
 * }</pre>
 *
 * <h2>What is atomic</h2>
 * Each decision is one SQL statement, an upsert with the condition inside, that reads the database's
 * clock once and computes the decision, the new state, {@code remaining} and {@code retryAfter} with
 * exactly the integer arithmetic of the <a href="../limit/package-summary.html#arithmetic">
 * {@code io.raceguard.limit} package documentation</a>, in whole milliseconds: the same decisions
 * as {@link io.raceguard.limit.InMemoryRateLimiter} for the same clock readings. The row is locked
 * while the statement decides, so concurrent bursts on one key never get more permits than the
 * policy's algorithm bounds, and a refused request writes nothing (on H2, it writes the row back unchanged).
 * <ul>
 *   <li><b>PostgreSQL</b>: {@code INSERT ... ON CONFLICT (key_hash) DO UPDATE SET ... WHERE <allowed>
 *       RETURNING ...}, with the refused case's state read in the same statement: one round trip.
 *   <li><b>MariaDB</b> (10.5 or later): {@code INSERT ... ON DUPLICATE KEY UPDATE ... RETURNING}; the
 *       decision is passed between the assignments and to {@code RETURNING} in the session's
 *       {@code LAST_INSERT_ID()}, which this call therefore overwrites: one round trip. The
 *       assignments are ordered so that they are right whether MariaDB assigns left to right (its
 *       default) or simultaneously ({@code SIMULTANEOUS_ASSIGNMENT}). MySQL has no {@code RETURNING}
 *       and is not supported by this class.
 *   <li><b>H2</b>: {@code MERGE} read through {@code OLD TABLE}: one round trip.
 * </ul>
 *
 * <h2>Time</h2>
 * {@code t} is the database's time at the start of the statement ({@code statement_timestamp()} on
 * PostgreSQL, {@code UTC_TIMESTAMP(6)} on MariaDB; on H2 {@code CURRENT_TIMESTAMP}, the start of the
 * transaction), in milliseconds since the Unix epoch, truncated, or the time of the key's last
 * allowed decision ({@code decided_at_ms}) if that is later. A statement reads the clock before it
 * waits for the row's lock, so a burst queued on one row would otherwise decide at times that go
 * backwards; with the floor, each key's decisions are made at non-decreasing times, as the in-memory
 * limiter's are, and report the same {@code remaining} and {@code retryAfter}. Windows are aligned on
 * multiples of the window length since the epoch.
 *
 * <h2>Storage</h2>
 * One row per policy and key, found by the SHA-256 of the policy ({@code algorithm/limit/window})
 * and the key: limiters with different policies never share a budget, even on the same key, and
 * changing a policy starts every key afresh. A sliding log keeps its last {@code limit} permits in the
 * row, 16 characters each, rewritten whole by each allowed request, so its cost grows with the limit.
 * A row is no longer needed once its
 * {@code expires_at_ms} (database milliseconds) has passed; nothing deletes it automatically, and a
 * later request on the key simply overwrites it. Delete old rows on a schedule, for example
 * {@code DELETE FROM raceguard_rate_limits WHERE expires_at_ms < <now in ms>}, in batches.
 *
 * <h2>Failure model</h2>
 * Each decision runs in autocommit mode on a connection from the {@link Jdbi}. A statement the
 * database rolled back because a concurrent one won (a deadlock between MariaDB upserts, a racing
 * insert on H2) took nothing and is run again, a bounded number of times. Any other fault is thrown
 * as {@link io.raceguard.BackendException}: the limiter never fails open on its own. If the
 * connection is lost while the statement runs, the permits may or may not have been counted. H2 is
 * for a single process (embedded or tests).
 *
 * <p>A call made inside the caller's own Jdbi transaction still takes a connection of its own (two
 * from the pool at once) and commits on its own, whatever the caller's transaction does afterwards.
 * A data source that hands every caller one shared connection (a Spring
 * {@code TransactionAwareDataSourceProxy}) is not supported: the commit would be the caller's.
 *
 * <p>Thread-safe: one instance per policy serves the whole application.
 */
public final class JdbcRateLimiter implements RateLimiter {

    private static final int MAX_STATEMENTS_PER_DECISION = 10;

    private final RateLimit limit;
    private final String policy;
    private final StoreStatements statements;
    private final DetectedDialect dialect = new DetectedDialect();
    private final Map<Dialect, String> decisions = new EnumMap<>(Dialect.class);

    JdbcRateLimiter(Jdbi jdbi, RateLimit limit, TableNames names, Function<Dialect, SqlArithmetic> arithmetic) {
        this.limit = limit;
        this.policy = limit.algorithm() + "/" + limit.limit() + "/" + limit.windowMillis();
        this.statements = new StoreStatements(jdbi);
        for (Dialect each : Dialect.values()) {
            decisions.put(each, RateLimitStatement.of(arithmetic.apply(each), names.rateLimitsTable(), limit));
        }
    }

    /**
     * @param jdbi where the rate-limit table is, under its default name
     * @param limit the policy to enforce
     * @return a limiter for that policy
     * @throws NullPointerException if an argument is null
     */
    public static RateLimiter create(Jdbi jdbi, RateLimit limit) {
        return create(jdbi, limit, TableNames.defaults());
    }

    /**
     * @param jdbi where the rate-limit table is
     * @param limit the policy to enforce
     * @param names the table names, as given to {@link Schema}
     * @return a limiter for that policy
     * @throws NullPointerException if an argument is null
     */
    public static RateLimiter create(Jdbi jdbi, RateLimit limit, TableNames names) {
        return new JdbcRateLimiter(requireNonNull(jdbi, "jdbi"), requireNonNull(limit, "limit"),
                requireNonNull(names, "names"), SqlArithmetic::onDatabaseTime);
    }

    @Override
    public RateLimit limit() {
        return limit;
    }

    @Override
    public RateLimitDecision tryAcquire(String key, long permits) {
        RateLimitRules.requireAcquire(limit, key, permits);
        byte[] hash = KeyDigest.of(policy, key);
        return statements.run("rate-limit decision", handle -> decide(handle, hash, key, permits));
    }

    private RateLimitDecision decide(Handle handle, byte[] hash, String key, long permits) {
        Dialect database = dialect.of(handle);
        for (int attempt = 1; attempt <= MAX_STATEMENTS_PER_DECISION; attempt++) {
            Optional<RateLimitDecision> decision = handle.createQuery(decisions.get(database))
                    .bind("hash", hash)
                    .bind("key", key)
                    .bind("policy", policy)
                    .bind("permits", permits)
                    .map((row, context) -> new RateLimitDecision(row.getInt("allowed") == 1,
                            row.getLong("remaining"), Duration.ofMillis(row.getLong("retry_after"))))
                    .findFirst();
            if (decision.isPresent()) {
                return decision.get();
            }
            if (database == Dialect.H2) {
                // OLD TABLE is empty when the MERGE inserted: the key had no state, and n <= L is allowed.
                return new RateLimitDecision(true, limit.limit() - permits, Duration.ZERO);
            }
            // PostgreSQL: refused on a row inserted after this statement's snapshot; the next sees it.
        }
        throw new IllegalStateException("the rate-limit statement returned no decision "
                + MAX_STATEMENTS_PER_DECISION + " times in a row");
    }

    @Override
    public String toString() {
        return "JdbcRateLimiter[" + policy + "]";
    }
}
