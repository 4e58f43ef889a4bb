package io.raceguard.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.raceguard.limit.InMemoryRateLimiter;
import io.raceguard.limit.RateLimit.Algorithm;
import io.raceguard.limit.RateLimit;
import io.raceguard.limit.RateLimitDecision;
import io.raceguard.limit.RateLimiter;
import io.raceguard.testing.contract.RateLimiterContract;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The rate-limiter kit on each database; the SQL arithmetic held to the in-memory reference at the
 * same clock readings; and the burst a naive count-then-increment lets through.
 */
final class JdbcRateLimiterTest {

    private static final StoreDatabases DATABASES = new StoreDatabases(JdbcRateLimiterTest.class);
    private static final long NANOS_PER_MILLI = 1_000_000L;

    @AfterAll
    static void closeDatabases() {
        DATABASES.close();
    }

    @Nested
    final class OnH2 extends RateLimiterContract {
        @Override
        protected RateLimiter rateLimiter(RateLimit policy) {
            return JdbcRateLimiter.create(DATABASES.withSchema(DatabaseKind.H2), policy);
        }
    }

    @Nested
    final class OnPostgresql extends RateLimiterContract {
        @Override
        protected RateLimiter rateLimiter(RateLimit policy) {
            return JdbcRateLimiter.create(DATABASES.withSchema(DatabaseKind.POSTGRESQL), policy);
        }
    }

    @Nested
    final class OnMariadb extends RateLimiterContract {
        @Override
        protected RateLimiter rateLimiter(RateLimit policy) {
            return JdbcRateLimiter.create(DATABASES.withSchema(DatabaseKind.MARIADB), policy);
        }
    }

    /**
     * Random policies and request sequences, with times that mostly move on but sometimes step back
     * (as statements that queued on a row's lock do): every decision, remaining and retryAfter equals
     * the reference's on a clock that never goes below the key's last allowed decision.
     */
    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void shouldDecideExactlyLikeTheInMemoryReferenceAtTheSameTimes(DatabaseKind kind) {
        Jdbi jdbi = DATABASES.withSchema(kind);
        SplittableRandom random = new SplittableRandom(kind.ordinal());
        for (Algorithm algorithm : Algorithm.values()) {
            for (int policyIndex = 0; policyIndex < 8; policyIndex++) {
                RateLimit policy = new RateLimit(
                        algorithm, random.nextLong(1, 12), Duration.ofMillis(random.nextLong(1, 150)));
                String key = "reference:" + kind + ":" + algorithm + ":" + policyIndex;
                long now = 1_795_000_000_000L + random.nextLong(0, 1_000_000);
                // Created at a time on no window boundary in general: the reference must align on the epoch.
                long created = now;
                AtomicLong nanos = new AtomicLong();
                RateLimiter reference = InMemoryRateLimiter.create(
                        policy, InstantSource.fixed(Instant.ofEpochMilli(created)), nanos::get);
                long lastAllowed = 0;
                for (int request = 0; request < 25; request++) {
                    long window = policy.windowMillis();
                    now += random.nextInt(6) == 0 ? -random.nextLong(0, window + 1) : random.nextLong(0, window);
                    long permits = random.nextLong(1, policy.limit() + 1);
                    long effective = Math.max(now, lastAllowed);
                    nanos.set((effective - created) * NANOS_PER_MILLI);
                    long at = now;
                    RateLimiter database = new JdbcRateLimiter(jdbi, policy, TableNames.defaults(),
                            dialect -> SqlArithmetic.atFixedTime(dialect, at));

                    RateLimitDecision expected = reference.tryAcquire(key, permits);
                    RateLimitDecision actual = database.tryAcquire(key, permits);

                    assertThat(actual).as("%s, request %d of %d permits at %d", policy, request, permits, now)
                            .isEqualTo(expected);
                    if (actual.allowed()) {
                        lastAllowed = effective;
                    }
                }
            }
        }
    }

    @Test
    void shouldLetABurstThroughANaiveCountThenIncrementWhereTheUpsertHoldsTheLimit() throws Exception {
        Jdbi jdbi = DATABASES.withSchema(DatabaseKind.POSTGRESQL);
        jdbi.useHandle(handle -> handle.execute("CREATE TABLE naive_hits (client VARCHAR(64) PRIMARY KEY, hits BIGINT"
                + " NOT NULL)"));
        jdbi.useHandle(handle -> handle.execute("INSERT INTO naive_hits VALUES ('alice', 0)"));
        long limit = 1;
        CountDownLatch checked = new CountDownLatch(5);

        List<Boolean> naive = StartGate.runTogether(5, i -> () -> jdbi.inTransaction(handle -> {
            long hits = handle.createQuery("SELECT hits FROM naive_hits WHERE client = 'alice'").mapTo(Long.class)
                    .one();
            StartGate.awaitAll(checked);
            if (hits >= limit) {
                return false;
            }
            handle.execute("UPDATE naive_hits SET hits = hits + 1 WHERE client = 'alice'");
            return true;
        }));
        assertThat(naive).as("naive: every request of the burst was let through").containsOnly(true);

        RateLimiter limiter = JdbcRateLimiter.create(jdbi, RateLimit.fixedWindow(limit, Duration.ofHours(1)));
        List<RateLimitDecision> guarded = StartGate.runTogether(5, i -> () -> limiter.tryAcquire("login:alice"));

        assertThat(guarded).filteredOn(RateLimitDecision::allowed).hasSize(1);
        jdbi.useHandle(handle -> handle.execute("DROP TABLE naive_hits"));
    }

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void shouldKeepLimitersWithDifferentPoliciesApartOnTheSameKey(DatabaseKind kind) {
        Jdbi jdbi = DATABASES.withSchema(kind);
        RateLimiter strict = JdbcRateLimiter.create(jdbi, RateLimit.fixedWindow(1, Duration.ofHours(1)));
        RateLimiter lenient = JdbcRateLimiter.create(jdbi, RateLimit.fixedWindow(2, Duration.ofHours(1)));

        assertThat(strict.tryAcquire("shared:" + kind).allowed()).isTrue();
        assertThat(strict.tryAcquire("shared:" + kind).allowed()).isFalse();
        assertThat(lenient.tryAcquire("shared:" + kind).remaining()).isEqualTo(1);
    }

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void shouldCommitTheHitOnItsOwnWhenTheCallersTransactionRollsBack(DatabaseKind kind) {
        Jdbi jdbi = DATABASES.withSchema(kind);
        RateLimiter limiter = JdbcRateLimiter.create(jdbi, RateLimit.fixedWindow(1, Duration.ofHours(1)));
        CallersTable table = CallersTable.create(jdbi, "callers_hits");
        String key = "outside-the-caller:" + kind;

        RateLimitDecision inside = jdbi.inTransaction(handle -> {
            table.write(handle, "the caller's own write");
            RateLimitDecision decision = limiter.tryAcquire(key);
            handle.rollback();
            return decision;
        });

        assertThat(inside.allowed()).isTrue();
        assertThat(table.notes(jdbi)).as("the caller's own write, which it rolled back").isEmpty();
        assertThat(limiter.tryAcquire(key).allowed()).as("the hit, committed on its own, used up the limit").isFalse();
        table.drop(jdbi);
    }

}
