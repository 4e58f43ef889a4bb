package io.raceguard.benchmarks;

import io.raceguard.jdbc.JdbcLocks;
import io.raceguard.jdbc.Schema;
import io.raceguard.lock.Lease;
import io.raceguard.lock.LeaseOptions;
import io.raceguard.lock.LockManager;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import net.javacrumbs.shedlock.core.LockConfiguration;
import net.javacrumbs.shedlock.core.SimpleLock;
import net.javacrumbs.shedlock.provider.jdbctemplate.JdbcTemplateLockProvider;
import org.jdbi.v3.core.Jdbi;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Uncontended lock then unlock of a name never used before, on PostgreSQL: {@link JdbcLocks} against
 * ShedLock's JDBC template provider, both on the database clock, both through the same fixed pool of
 * {@value BenchPostgres#POOL_SIZE} connections to a schema of their own. Database round trips per
 * lock and unlock, counted on the driver's sockets by {@link CountingSocketFactory}, are printed after
 * each iteration.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class JdbcLocksBenchmark {

    private static final Duration TTL = Duration.ofSeconds(30);
    private static final LeaseOptions OPTIONS = LeaseOptions.ttl(TTL);

    @Param({"Raceguard", "ShedLock"})
    String impl;

    private final AtomicLong names = new AtomicLong();
    private long namesBefore;
    private long roundTripsBefore;
    private BenchPostgres postgres;
    private LockManager raceguard;
    private JdbcTemplateLockProvider shedLock;

    @Setup(Level.Trial)
    public void setUp() throws SQLException {
        postgres = BenchPostgres.open(CountingSocketFactory.class);
        if (impl.equals("Raceguard")) {
            Jdbi jdbi = Jdbi.create(postgres.dataSource());
            Schema.defaults().create(jdbi);
            raceguard = JdbcLocks.create(jdbi);
        } else {
            try (Connection connection = postgres.dataSource().getConnection();
                    Statement statement = connection.createStatement()) {
                statement.execute("CREATE TABLE shedlock (name VARCHAR(64) NOT NULL PRIMARY KEY,"
                        + " lock_until TIMESTAMP NOT NULL, locked_at TIMESTAMP NOT NULL, locked_by VARCHAR(255) NOT"
                        + " NULL)");
            }
            shedLock = new JdbcTemplateLockProvider(JdbcTemplateLockProvider.Configuration.builder()
                    .withJdbcTemplate(new JdbcTemplate(postgres.dataSource()))
                    .usingDbTime()
                    .build());
        }
    }

    @Setup(Level.Iteration)
    public void startCounting() {
        namesBefore = names.get();
        roundTripsBefore = CountingSocketFactory.roundTrips();
    }

    @TearDown(Level.Iteration)
    public void printRoundTrips() {
        long operations = names.get() - namesBefore;
        long roundTrips = CountingSocketFactory.roundTrips() - roundTripsBefore;
        System.out.printf("  [%d lock+unlock, %d round trips, %.3f round trips per lock+unlock]%n",
                operations, roundTrips, (double) roundTrips / operations);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        if (raceguard != null) {
            raceguard.close();
        }
        postgres.close();
    }

    @Benchmark
    public void acquireRelease() {
        lockAndUnlock();
    }

    @Benchmark
    @Threads(4)
    public void acquireRelease4Threads() {
        lockAndUnlock();
    }

    private void lockAndUnlock() {
        String name = "bench-lock-" + names.incrementAndGet();
        if (raceguard != null) {
            Lease lease = raceguard.tryAcquire(name, OPTIONS)
                    .orElseThrow(() -> new IllegalStateException("busy: " + name));
            lease.close();
        } else {
            SimpleLock lock = shedLock.lock(new LockConfiguration(Instant.now(), name, TTL, Duration.ZERO))
                    .orElseThrow(() -> new IllegalStateException("busy: " + name));
            lock.unlock();
        }
    }
}
