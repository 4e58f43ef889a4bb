package io.raceguard.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.raceguard.jdbc.JdbcRateLimiter;
import io.raceguard.jdbc.Schema;
import io.raceguard.limit.InMemoryRateLimiter;
import io.raceguard.limit.RateLimit;
import io.raceguard.limit.RateLimit.Algorithm;
import io.raceguard.limit.RateLimitDecision;
import io.raceguard.limit.RateLimiter;
import io.raceguard.redis.RedisRateLimiter;
import io.raceguard.testsupport.IsolatedDatabase;
import io.raceguard.testsupport.RedisService;
import io.raceguard.testsupport.TestServices;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import redis.clients.jedis.RedisClient;

/**
 * One policy decides alike on every backend: the same hits at the same instants, across two window
 * boundaries, get the same decisions in memory (on the system clocks), on H2, PostgreSQL, MariaDB and
 * Redis, each on its own clock (all of them this machine's). That holds only because every backend
 * aligns its windows on the Unix epoch.
 *
 * <p>The hits land at offsets into windows of 2 s chosen at least 160 ms away from every instant at
 * which a decision or a {@code remaining} changes (the boundaries; for the sliding window the points
 * where the previous window's weight crosses a whole permit; for the sliding log, 330 ms away from
 * where an earlier hit leaves the window), so that the milliseconds between the calls of one step
 * change nothing. A step whose calls end more than {@value #MARGIN_MILLIS} ms after its
 * instant proves nothing either way (a loaded machine), and its attempt is run again; if no attempt
 * keeps time the test is reported as skipped, never as passed. The same comparison on clocks the
 * tests set, exact to the millisecond and independent of load, is each backend's reference test
 * ({@code JdbcRateLimiterTest}, {@code RedisRateLimiterCases}), against an in-memory limiter anchored
 * at an instant that is not on a window boundary.
 */
final class RateLimitBackendsAgreeTest {

    private static final long LIMIT = 4;
    private static final long WINDOW_MILLIS = 2_000;
    private static final long MARGIN_MILLIS = 150;
    private static final int ATTEMPTS = 3;
    /** Offsets from the start of a window, in ms, and the permits asked for there. */
    private static final long[][] HITS = {{250, 2}, {1_167, 1}, {1_750, 1}, {2_833, 3}, {4_250, 4}, {5_167, 1}};

    private static final List<IsolatedDatabase> DATABASES = new ArrayList<>();
    private static final List<HikariDataSource> POOLS = new ArrayList<>();
    private static final Map<String, Jdbi> JDBIS = new LinkedHashMap<>();
    private static RedisClient redis;

    private final List<String> lateSteps = new ArrayList<>();

    @BeforeAll
    static void openBackends() {
        RedisService redisServer = TestServices.redis();
        IsolatedDatabase postgres = TestServices.postgres().isolate(RateLimitBackendsAgreeTest.class);
        DATABASES.add(postgres);
        IsolatedDatabase mariadb = TestServices.mariadb().isolate(RateLimitBackendsAgreeTest.class);
        DATABASES.add(mariadb);
        JDBIS.put("H2", Jdbi.create("jdbc:h2:mem:agree-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1"));
        JDBIS.put("PostgreSQL", Jdbi.create(pooled(postgres)));
        JDBIS.put("MariaDB", Jdbi.create(pooled(mariadb)));
        JDBIS.values().forEach(jdbi -> Schema.defaults().create(jdbi));
        redis = RedisClient.create(redisServer.host(), redisServer.port());
    }

    /** A connection per call would cost more than the margin: decide on pooled, warm connections. */
    private static DataSource pooled(IsolatedDatabase database) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(database.jdbcUrl());
        config.setUsername(database.user());
        config.setPassword(database.password());
        config.setMaximumPoolSize(2);
        HikariDataSource pool = new HikariDataSource(config);
        POOLS.add(pool);
        return pool;
    }

    @AfterAll
    static void closeBackends() {
        if (redis != null) {
            redis.close();
        }
        POOLS.forEach(HikariDataSource::close);
        DATABASES.forEach(IsolatedDatabase::close);
    }

    @ParameterizedTest
    @EnumSource(value = Algorithm.class, names = {"FIXED_WINDOW", "SLIDING_WINDOW", "SLIDING_LOG"})
    void shouldGiveTheSameDecisionsOnEveryBackendForTheSameHitsAtTheSameInstants(Algorithm algorithm)
            throws InterruptedException {
        RateLimit policy = new RateLimit(algorithm, LIMIT, Duration.ofMillis(WINDOW_MILLIS));
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            if (runsOnTime(policy)) {
                return;
            }
        }
        // Not a pass: reported as skipped, with the lateness that made every attempt inconclusive.
        Assumptions.abort("every attempt had a step whose calls ended over " + MARGIN_MILLIS
                + " ms late (a loaded machine); the deterministic comparison is in each backend's reference test: "
                + lateSteps);
    }

    /** @return false if a step's calls spread too far apart for the comparison to mean anything */
    private boolean runsOnTime(RateLimit policy) throws InterruptedException {
        String key = "agree:" + UUID.randomUUID();
        Map<String, RateLimiter> limiters = new LinkedHashMap<>();
        limiters.put("in memory", InMemoryRateLimiter.create(policy));
        JDBIS.forEach((name, jdbi) -> limiters.put(name, JdbcRateLimiter.create(jdbi, policy)));
        limiters.put("Redis", RedisRateLimiter.create(redis, policy));
        limiters.values().forEach(limiter -> limiter.tryAcquire("warm-up:" + UUID.randomUUID()));
        long start = (System.currentTimeMillis() / WINDOW_MILLIS + 1) * WINDOW_MILLIS;
        List<Boolean> allowed = new ArrayList<>();
        for (long[] hit : HITS) {
            long at = start + hit[0];
            // Sleep may end a little early by the wall clock: sleep until the wall clock says so.
            for (long now = System.currentTimeMillis(); now < at; now = System.currentTimeMillis()) {
                Thread.sleep(at - now);
            }
            Map<String, Hit> decisions = new LinkedHashMap<>();
            limiters.forEach((name, limiter) -> decisions.put(name, Hit.of(() -> limiter.tryAcquire(key, hit[1]))));
            long late = decisions.values().stream().mapToLong(Hit::after).max().orElseThrow() - at;
            if (late > MARGIN_MILLIS) {
                lateSteps.add(policy.algorithm() + " +" + hit[0] + " ms: " + late + " ms late");
                return false;
            }
            Map<String, List<Long>> answers = new LinkedHashMap<>();
            decisions.forEach((name, each) -> answers.put(name, List.of(
                    each.decision().allowed() ? 1L : 0L, each.decision().remaining())));
            assertThat(answers.values()).as("%s, %d permits at +%d ms: allowed and remaining on each backend: %s",
                    policy, hit[1], hit[0], answers).containsOnly(answers.get("in memory"));
            long earliestRetry = decisions.values().stream().mapToLong(Hit::earliestRetryAt).max().orElseThrow();
            long latestRetry = decisions.values().stream().mapToLong(Hit::latestRetryAt).min().orElseThrow();
            assertThat(earliestRetry - latestRetry).as("%s at +%d ms: retry instants on each backend %s",
                    policy, hit[0], decisions).isLessThanOrEqualTo(2 * MARGIN_MILLIS);
            allowed.add(decisions.get("in memory").decision().allowed());
        }
        assertThat(allowed).as("the sequence meets both answers").contains(true, false);
        return true;
    }

    /** One call, between two readings of the wall clock. */
    private record Hit(RateLimitDecision decision, long before, long after) {

        static Hit of(Supplier<RateLimitDecision> call) {
            long before = System.currentTimeMillis();
            RateLimitDecision decision = call.get();
            return new Hit(decision, before, System.currentTimeMillis());
        }

        long earliestRetryAt() {
            return before + decision.retryAfter().toMillis();
        }

        long latestRetryAt() {
            return after + decision.retryAfter().toMillis() + 1;
        }
    }
}
