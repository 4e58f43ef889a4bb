package io.raceguard.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.raceguard.Outcome;
import io.raceguard.Rejection;
import io.raceguard.counter.Counters;
import io.raceguard.counter.InMemoryCounters;
import io.raceguard.idempotency.Idempotency;
import io.raceguard.idempotency.IdempotencyCodec;
import io.raceguard.idempotency.IdempotencyKey;
import io.raceguard.idempotency.IdempotentResult;
import io.raceguard.idempotency.InMemoryIdempotencyStore;
import io.raceguard.jdbc.GuardedUpdates;
import io.raceguard.jdbc.JdbcCounters;
import io.raceguard.jdbc.JdbcIdempotencyStore;
import io.raceguard.jdbc.JdbcLocks;
import io.raceguard.jdbc.JdbcRateLimiter;
import io.raceguard.jdbc.PostgresAdvisoryLocks;
import io.raceguard.jdbc.PostgresSessionLocks;
import io.raceguard.jdbc.RowLocks;
import io.raceguard.jdbc.Schema;
import io.raceguard.jdbc.Transactions;
import io.raceguard.limit.InMemoryRateLimiter;
import io.raceguard.limit.RateLimit;
import io.raceguard.limit.RateLimitDecision;
import io.raceguard.limit.RateLimiter;
import io.raceguard.lock.InMemoryLocks;
import io.raceguard.lock.Lease;
import io.raceguard.lock.LeaseOptions;
import io.raceguard.lock.LockManager;
import io.raceguard.redis.RedisCounters;
import io.raceguard.redis.RedisIdempotencyStore;
import io.raceguard.redis.RedisLocks;
import io.raceguard.redis.RedisRateLimiter;
import io.raceguard.testing.Hammer;
import io.raceguard.testing.HammerExtension;
import io.raceguard.testing.Invariant;
import io.raceguard.testsupport.IsolatedDatabase;
import io.raceguard.testsupport.RedisKeyspace;
import io.raceguard.testsupport.RedisService;
import io.raceguard.testsupport.TestServices;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.RedisClient;

/**
 * The README's quickstart, compiled and run: every snippet in the README is copied from here, so
 * it cannot drift from the API.
 */
final class QuickstartTest {

    // quickstart:hammer-extension
    @RegisterExtension
    static final HammerExtension HAMMER = HammerExtension.create().withTimes(20).withRounds(50);
    // end

    @Test
    void countersTakeOnlyWhatIsThere() {
        // quickstart:counters
        Counters counters = InMemoryCounters.create();
        counters.set("stock:99", 1);

        Outcome<Long> first = counters.take("stock:99", 1);   // Applied(0)
        Outcome<Long> second = counters.take("stock:99", 1);  // Rejected(CONDITION_FAILED): sold out
        String why = second.detail();                          // "level below amount"
        Outcome<Long> claim = counters.add("signup:alice@example.com", 1, 1); // a once-only claim
        // end
        assertThat(first).isEqualTo(Outcome.applied(0L));
        assertThat(second.rejection()).isEqualTo(Rejection.CONDITION_FAILED);
        assertThat(why).isEqualTo("level below amount");
        assertThat(claim.isApplied()).isTrue();
    }

    @Test
    void leasesCarryFencingTokens() throws InterruptedException {
        AtomicInteger writes = new AtomicInteger();
        // quickstart:locks
        try (LockManager locks = InMemoryLocks.create()) {
            LeaseOptions options = LeaseOptions.ttl(Duration.ofSeconds(5)).waitUpTo(Duration.ofSeconds(2));
            try (Lease lease = locks.acquire("coupon:SAVE20", options)) {
                lease.checkValid();                 // throws LeaseLostException once the lease is gone
                long token = lease.fencingToken();  // strictly increasing per key: hand it to the resource
                writes.incrementAndGet();
                assertThat(token).isPositive();
            }
            String report = locks.withLock("report:42", options, lease -> "written under " + lease.fencingToken());
            assertThat(report).startsWith("written under");
        }
        // end
        assertThat(writes).hasValue(1);
    }

    @Test
    void idempotencyKeysReplayInsteadOfRerunning() {
        AtomicInteger charges = new AtomicInteger();
        String userId = "user-42";
        String headerKey = UUID.randomUUID().toString();
        byte[] requestBody = "amount=100".getBytes(StandardCharsets.UTF_8);
        // quickstart:idempotency
        Idempotency idempotency = Idempotency.builder(InMemoryIdempotencyStore.create())
                .lease(Duration.ofSeconds(30))
                .retention(Duration.ofHours(24))
                .build();
        IdempotencyKey key = IdempotencyKey.of(userId + ":POST /charges", headerKey); // scoped to the principal

        IdempotentResult<String> first = idempotency.execute(key, requestBody, IdempotencyCodec.utf8(),
                () -> "charge-" + charges.incrementAndGet());
        IdempotentResult<String> retry = idempotency.execute(key, requestBody, IdempotencyCodec.utf8(),
                () -> "charge-" + charges.incrementAndGet());
        // first: Executed("charge-1"); retry: Replayed("charge-1"); the work ran once.
        String receipt = retry.value(); // "charge-1": Executed and Replayed read alike
        // InProgress -> 409, KeyReused (same key, other body) -> 422: IdempotencyStatus.of(result) in raceguard-web
        // end
        assertThat(first).isEqualTo(new IdempotentResult.Executed<>("charge-1"));
        assertThat(retry).isEqualTo(new IdempotentResult.Replayed<>("charge-1"));
        assertThat(receipt).isEqualTo("charge-1");
        assertThat(charges).hasValue(1);
    }

    @Test
    void rateLimitsHoldUnderBursts() {
        // quickstart:rate-limit
        RateLimiter logins = InMemoryRateLimiter.create(RateLimit.slidingWindow(5, Duration.ofMinutes(1)));
        RateLimitDecision decision = logins.tryAcquire("login:alice");
        if (!decision.allowed()) {
            // answer 429 with Retry-After: decision.retryAfter()
        }
        // end
        assertThat(decision.allowed()).isTrue();
        assertThat(decision.remaining()).isEqualTo(4);
    }

    @Test
    void theConditionLivesInsideTheWrite() throws Exception {
        Jdbi jdbi = Jdbi.create("jdbc:h2:mem:quickstart-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        jdbi.useHandle(handle -> {
            handle.execute("CREATE TABLE accounts (id INT PRIMARY KEY, balance BIGINT NOT NULL)");
            handle.execute("INSERT INTO accounts VALUES (1, 200), (2, 0)");
        });
        // quickstart:guarded-sql
        GuardedUpdates accounts = GuardedUpdates.on("accounts", "id");
        Transactions transactions = Transactions.builder(jdbi).build();  // SERIALIZABLE, retried with backoff

        Outcome<Long> debit = transactions.inTransaction(handle -> {
            RowLocks.on("accounts", "id").lock(handle, List.of(1, 2));     // FOR UPDATE in key order: no deadlocks
            Outcome<Long> taken = accounts.decrement("balance", 100).apply(handle, 1); // only if balance >= 100
            if (taken.isApplied()) {
                accounts.increment("balance", 100, Long.MAX_VALUE).apply(handle, 2);
            }
            return taken;  // Applied(100), or Rejected(CONDITION_FAILED) / Rejected(NOT_FOUND)
        });
        // end
        assertThat(debit).isEqualTo(Outcome.applied(100L));
    }

    @Test
    void everyPrimitiveRunsOnRedisWithTheSameContract() throws InterruptedException {
        RedisService server = TestServices.redis();
        try (RedisKeyspace keyspace = server.isolate(QuickstartTest.class)) {
            String host = server.host();
            int port = server.port();
            String prefix = keyspace.prefix();
            // quickstart:redis
            try (RedisClient redis = RedisClient.create(host, port)) {  // a RedisClusterClient works the same
                Counters stock = RedisCounters.create(redis, prefix);
                RateLimiter logins = RedisRateLimiter.create(
                        redis, RateLimit.tokenBucket(5, Duration.ofMinutes(1)), prefix);
                Idempotency idempotency = Idempotency.builder(RedisIdempotencyStore.create(redis, prefix)).build();
                try (LockManager locks = RedisLocks.builder(redis).keyPrefix(prefix).build();
                        Lease lease = locks.acquire(
                                "order:7", LeaseOptions.ttl(Duration.ofSeconds(10)).withAutoRenew())) {
                    stock.set("stock:99", 1);
                    assertThat(stock.take("stock:99", 1).isApplied()).isTrue();
                    assertThat(logins.tryAcquire("login:alice").allowed()).isTrue();
                    assertThat(idempotency.execute(IdempotencyKey.of("user-42:POST /orders", "k-1"), new byte[0],
                            IdempotencyCodec.utf8(), () -> "order-7 under fence " + lease.fencingToken()))
                            .isInstanceOf(IdempotentResult.Executed.class);
                }
            }
            // end
        }
    }

    @Test
    void everyPrimitiveRunsOnTheDatabaseWithTheSameContract() throws InterruptedException {
        Jdbi jdbi = Jdbi.create("jdbc:h2:mem:stores-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        // quickstart:jdbc-stores
        Schema.defaults().create(jdbi); // or run the shipped DDL (io/raceguard/jdbc/schema/*.sql) from Flyway/Liquibase

        Counters stock = JdbcCounters.create(jdbi);
        RateLimiter logins = JdbcRateLimiter.create(jdbi, RateLimit.fixedWindow(5, Duration.ofMinutes(1)));
        Idempotency idempotency = Idempotency.builder(JdbcIdempotencyStore.create(jdbi)).build();
        LockManager locks = JdbcLocks.create(jdbi);  // a lease table on the database's clock

        stock.set("stock:99", 1);
        Outcome<Long> sold = stock.take("stock:99", 1);
        RateLimitDecision login = logins.tryAcquire("login:alice");
        IdempotentResult<String> order;
        try (Lease lease = locks.acquire("order:7", LeaseOptions.ttl(Duration.ofSeconds(10)))) {
            order = idempotency.execute(IdempotencyKey.of("user-42:POST /orders", "k-1"), new byte[0],
                    IdempotencyCodec.utf8(), () -> "order-7 under fence " + lease.fencingToken());
        }
        // end
        locks.close();
        assertThat(sold).isEqualTo(Outcome.applied(0L));
        assertThat(login.allowed()).isTrue();
        assertThat(order).isInstanceOf(IdempotentResult.Executed.class);
    }

    @Test
    void postgresAdvisoryLocksJoinTheCallersTransaction() {
        try (IsolatedDatabase database = TestServices.postgres().isolate(QuickstartTest.class)) {
            Jdbi jdbi = Jdbi.create(database.dataSource());
            jdbi.useHandle(handle -> handle.execute("CREATE TABLE jobs (id INT PRIMARY KEY, runs INT NOT NULL)"));
            jdbi.useHandle(handle -> handle.execute("INSERT INTO jobs VALUES (1, 0)"));
            // quickstart:advisory
            PostgresAdvisoryLocks advisory = PostgresAdvisoryLocks.create();
            jdbi.useTransaction(handle -> {
                advisory.lock(handle, "nightly-report");  // pg_advisory_xact_lock: released at commit or rollback
                handle.execute("UPDATE jobs SET runs = runs + 1 WHERE id = 1");
            });
            // end
            int runs = jdbi.withHandle(handle -> handle.createQuery("SELECT runs FROM jobs").mapTo(Integer.class)
                    .one());
            assertThat(runs).isEqualTo(1);
        }
    }

    @Test
    void postgresSessionLocksPinAConnectionPerLease() {
        try (IsolatedDatabase database = TestServices.postgres().isolate(QuickstartTest.class)) {
            javax.sql.DataSource dataSource = database.dataSource();
            String report;
            // quickstart:session-locks
            try (LockManager sessionLocks = PostgresSessionLocks.create(dataSource)) {
                LeaseOptions options = LeaseOptions.ttl(Duration.ofSeconds(30)).withAutoRenew();
                try (Lease lease = sessionLocks.tryAcquire("nightly-report", options).orElseThrow()) {
                    report = "written under " + lease.fencingToken();  // pg_try_advisory_lock on a pinned connection
                }
            }
            // end
            assertThat(report).startsWith("written under");
        }
    }

    @Test
    void theHammerProvesAStepIsAtomic(Hammer hammer) {
        Counters counters = InMemoryCounters.create();
        // quickstart:hammer
        hammer.beforeEachRound(() -> counters.set("stock:99", 1))            // reset before every round
                .fire(() -> counters.take("stock:99", 1))                     // 20 calls released together
                .expect(Invariant.exactly(1, "sold", Outcome::isApplied));  // else fails with a verdict line
        // end
        assertThat(counters.get("stock:99")).hasValue(0);
    }
}
