package io.raceguard.benchmarks;

import io.raceguard.jdbc.JdbcLocks;
import io.raceguard.jdbc.Schema;
import io.raceguard.lock.Lease;
import io.raceguard.lock.LeaseOptions;
import io.raceguard.lock.LockManager;
import io.raceguard.redis.RedisLocks;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import net.javacrumbs.shedlock.core.LockConfiguration;
import net.javacrumbs.shedlock.core.SimpleLock;
import net.javacrumbs.shedlock.provider.jdbctemplate.JdbcTemplateLockProvider;
import org.jdbi.v3.core.Jdbi;
import org.redisson.Redisson;
import org.redisson.api.RLock;
import org.redisson.api.RedissonClient;
import org.redisson.config.Config;
import org.springframework.jdbc.core.JdbcTemplate;
import redis.clients.jedis.RedisClient;

/**
 * One hot key, {@value #THREADS} threads each doing acquire (wait up to 30 s), a short critical
 * section, release, over and over, in interleaved rounds: each round gives every subject the same
 * number of seconds in turn, so that all see the same load on a shared machine. Per subject and
 * round it prints critical sections per second and the p50, p99 and maximum wait (from the call to
 * acquire until it returned), so the unluckiest waiter shows, not just the average one.
 *
 * <p>Subjects: {@code redis-backoff} and {@code redis-pubsub} ({@link RedisLocks} polling, and with
 * release notifications), {@code redisson} (Redisson's {@code RLock} with a lease time), {@code
 * jdbc-postgres} ({@link JdbcLocks} on PostgreSQL) and {@code shedlock-postgres} (ShedLock's
 * {@code JdbcTemplateLockProvider} with {@code usingDbTime()}). ShedLock never waits, so its waiter
 * is this loop: try {@code lock()}; while it is empty, park 1 ms and try again.
 *
 * <p>Usage: {@code java -cp raceguard-benchmarks.jar io.raceguard.benchmarks.HotKeyHarness
 * [rounds] [seconds-per-round] [subject,subject,...]}; defaults: 5 rounds of 3 s, every subject.
 */
public final class HotKeyHarness {

    private static final int THREADS = 8;
    private static final Duration TTL = Duration.ofSeconds(10);
    private static final Duration MAX_WAIT = Duration.ofSeconds(30);
    private static final long SECTION_NANOS = 20_000;
    private static final long SHEDLOCK_RETRY_NANOS = 1_000_000;
    private static final List<String> ALL = List.of(
            "redis-backoff", "redis-pubsub", "redisson", "jdbc-postgres", "shedlock-postgres");

    /** A lock on the hot key: acquire waits, the returned handle releases. */
    private interface HotLock {
        Held acquire() throws Exception;

        /** Closes the subject's clients and drops what it created. */
        void shutDown() throws Exception;
    }

    /** A held lock. */
    @FunctionalInterface
    private interface Held {
        void release() throws Exception;
    }

    private HotKeyHarness() {}

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        long roundNanos = TimeUnit.SECONDS.toNanos(args.length > 1 ? Long.parseLong(args[1]) : 3);
        List<String> subjects = args.length > 2 ? List.of(args[2].split(",")) : ALL;
        List<HotLock> locks = new ArrayList<>();
        for (String subject : subjects) {
            locks.add(open(subject));
        }
        try {
            System.out.printf("hot key, %d threads, %d rounds of %d ms, section %d us%n",
                    THREADS, rounds, TimeUnit.NANOSECONDS.toMillis(roundNanos), SECTION_NANOS / 1000);
            System.out.printf("%-18s %5s %12s %10s %10s %10s%n", "subject", "round", "sections/s", "p50 ms",
                    "p99 ms", "max ms");
            for (int round = 0; round < rounds; round++) {
                for (int i = 0; i < locks.size(); i++) {
                    // alternate the order, so that no subject always runs first in a round
                    int index = round % 2 == 0 ? i : locks.size() - 1 - i;
                    report(subjects.get(index), round, run(locks.get(index), roundNanos));
                }
            }
        } finally {
            for (HotLock lock : locks) {
                lock.shutDown();
            }
        }
    }

    /** @return every wait of the round, in nanoseconds, and the round's length as the last element */
    private static long[] run(HotLock lock, long roundNanos) throws InterruptedException {
        List<long[]> waitsPerThread = new ArrayList<>();
        int[] counts = new int[THREADS];
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        long[] window = new long[2];
        for (int t = 0; t < THREADS; t++) {
            long[] waits = new long[1 << 20];
            waitsPerThread.add(waits);
            int thread = t;
            Thread worker = new Thread(() -> {
                try {
                    start.await();
                    long end = window[1];
                    while (System.nanoTime() < end && counts[thread] < waits.length) {
                        long asked = System.nanoTime();
                        Held held = lock.acquire();
                        try {
                            waits[counts[thread]++] = System.nanoTime() - asked;
                            LockSupport.parkNanos(SECTION_NANOS);
                        } finally {
                            held.release();
                        }
                    }
                } catch (Exception e) {
                    throw new IllegalStateException("the hot-key loop failed", e);
                }
            }, "hot-key-" + t);
            worker.start();
            threads.add(worker);
        }
        window[0] = System.nanoTime();
        window[1] = window[0] + roundNanos;
        start.countDown();
        for (Thread worker : threads) {
            worker.join();
        }
        long elapsed = System.nanoTime() - window[0];
        int total = Arrays.stream(counts).sum();
        long[] all = new long[total + 1];
        int at = 0;
        for (int t = 0; t < THREADS; t++) {
            System.arraycopy(waitsPerThread.get(t), 0, all, at, counts[t]);
            at += counts[t];
        }
        Arrays.sort(all, 0, total);
        all[total] = elapsed;
        return all;
    }

    private static void report(String subject, int round, long[] waitsAndElapsed) {
        int total = waitsAndElapsed.length - 1;
        long elapsed = waitsAndElapsed[total];
        if (total == 0) {
            System.out.printf("%-18s %5d %12s%n", subject, round, "none");
            return;
        }
        System.out.printf("%-18s %5d %12.0f %10.2f %10.2f %10.2f%n", subject, round,
                total * 1e9 / elapsed,
                waitsAndElapsed[total / 2] / 1e6,
                waitsAndElapsed[(int) Math.min(total - 1, Math.ceil(total * 0.99) - 1)] / 1e6,
                waitsAndElapsed[total - 1] / 1e6);
    }

    private static HotLock open(String subject) throws Exception {
        String key = BenchmarkServices.uniqueName("hot_key");
        return switch (subject) {
            case "redis-backoff" -> raceguardRedis(key, false);
            case "redis-pubsub" -> raceguardRedis(key, true);
            case "redisson" -> redisson(key);
            case "jdbc-postgres" -> jdbcLocks(key);
            case "shedlock-postgres" -> shedLock(key);
            default -> throw new IllegalArgumentException("unknown subject " + subject + "; known: " + ALL);
        };
    }

    private static HotLock raceguardRedis(String key, boolean releaseNotifications) {
        RedisClient client = BenchmarkServices.redisClient(THREADS + 1);
        String prefix = key + ":";
        LockManager locks =
                RedisLocks.builder(client).keyPrefix(prefix).releaseNotifications(releaseNotifications).build();
        return managed(locks, () -> {
            BenchmarkServices.deleteKeys(client, prefix);
            client.close();
        });
    }

    private static HotLock jdbcLocks(String key) throws Exception {
        BenchPostgres postgres = BenchPostgres.open(null);
        Jdbi jdbi = Jdbi.create(postgres.dataSource());
        Schema.defaults().create(jdbi);
        return managed(JdbcLocks.create(jdbi), postgres::close);
    }

    private static HotLock managed(LockManager locks, AutoCloseable afterClose) {
        LeaseOptions options = LeaseOptions.ttl(TTL).waitUpTo(MAX_WAIT);
        String hotKey = "hot";
        return new HotLock() {
            @Override
            public Held acquire() throws Exception {
                Lease lease = locks.acquire(hotKey, options);
                return lease::release;
            }

            @Override
            public void shutDown() throws Exception {
                locks.close();
                afterClose.close();
            }
        };
    }

    private static HotLock redisson(String key) {
        Config config = new Config();
        config.useSingleServer()
                .setAddress(BenchmarkServices.redisUri().toString())
                .setConnectionPoolSize(THREADS)
                .setConnectionMinimumIdleSize(THREADS);
        RedissonClient redisson = Redisson.create(config);
        RLock lock = redisson.getLock(key);
        return new HotLock() {
            @Override
            public Held acquire() throws Exception {
                lock.lockInterruptibly(TTL.toMillis(), TimeUnit.MILLISECONDS);
                return lock::unlock;
            }

            @Override
            public void shutDown() {
                redisson.shutdown();
            }
        };
    }

    private static HotLock shedLock(String key) throws Exception {
        BenchPostgres postgres = BenchPostgres.open(null);
        try (Connection connection = postgres.dataSource().getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE shedlock (name VARCHAR(64) NOT NULL PRIMARY KEY,"
                    + " lock_until TIMESTAMP NOT NULL, locked_at TIMESTAMP NOT NULL, locked_by VARCHAR(255) NOT NULL)");
        }
        JdbcTemplateLockProvider provider = new JdbcTemplateLockProvider(
                JdbcTemplateLockProvider.Configuration.builder()
                        .withJdbcTemplate(new JdbcTemplate(postgres.dataSource()))
                        .usingDbTime()
                        .build());
        String name = key.length() > 64 ? key.substring(0, 64) : key;
        return new HotLock() {
            @Override
            public Held acquire() throws InterruptedException {
                long deadline = System.nanoTime() + MAX_WAIT.toNanos();
                while (true) {
                    Optional<SimpleLock> lock =
                            provider.lock(new LockConfiguration(Instant.now(), name, TTL, Duration.ZERO));
                    if (lock.isPresent()) {
                        return lock.get()::unlock;
                    }
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("ShedLock did not get the hot key within " + MAX_WAIT);
                    }
                    LockSupport.parkNanos(SHEDLOCK_RETRY_NANOS);
                    if (Thread.interrupted()) {
                        throw new InterruptedException();
                    }
                }
            }

            @Override
            public void shutDown() throws Exception {
                postgres.close();
            }
        };
    }
}
