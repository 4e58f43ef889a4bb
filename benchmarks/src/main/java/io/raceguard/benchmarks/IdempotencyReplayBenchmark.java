package io.raceguard.benchmarks;

import io.raceguard.idempotency.Idempotency;
import io.raceguard.idempotency.IdempotencyCodec;
import io.raceguard.idempotency.IdempotencyKey;
import io.raceguard.idempotency.IdempotentResult;
import io.raceguard.jdbc.JdbcIdempotencyStore;
import io.raceguard.jdbc.Schema;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.concurrent.TimeUnit;
import org.jdbi.v3.core.Jdbi;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * {@link Idempotency#execute} on the replay path (the key was completed before) with
 * {@link JdbcIdempotencyStore} on PostgreSQL: calls per second, and database round trips per call,
 * counted on the driver's sockets by {@link CountingSocketFactory} and printed after each iteration.
 * There is no baseline; the target is one round trip per replayed call.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class IdempotencyReplayBenchmark {

    private static final byte[] REQUEST = "{\"amount\":100}".getBytes(StandardCharsets.UTF_8);
    private static final IdempotencyKey KEY = IdempotencyKey.of("payments", "replayed-key");

    private BenchPostgres postgres;
    private Idempotency idempotency;
    private long calls;
    private long roundTripsBefore;

    @Setup(Level.Trial)
    public void setUp() throws SQLException {
        postgres = BenchPostgres.open(CountingSocketFactory.class);
        Jdbi jdbi = Jdbi.create(postgres.dataSource());
        Schema.defaults().create(jdbi);
        idempotency = Idempotency.builder(JdbcIdempotencyStore.create(jdbi)).build();
        IdempotentResult<String> first = idempotency.execute(KEY, REQUEST, IdempotencyCodec.utf8(), () -> "charged");
        if (!(first instanceof IdempotentResult.Executed)) {
            throw new IllegalStateException("the first call should have run the work, was " + first);
        }
    }

    @Setup(Level.Iteration)
    public void startCounting() {
        calls = 0;
        roundTripsBefore = CountingSocketFactory.roundTrips();
    }

    @TearDown(Level.Iteration)
    public void printRoundTrips() {
        long roundTrips = CountingSocketFactory.roundTrips() - roundTripsBefore;
        System.out.printf("  [%d calls, %d round trips, %.3f round trips per call]%n",
                calls, roundTrips, (double) roundTrips / calls);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws SQLException {
        postgres.close();
    }

    @Benchmark
    public IdempotentResult<String> replay() {
        IdempotentResult<String> result = idempotency.execute(KEY, REQUEST, IdempotencyCodec.utf8(), () -> {
            throw new IllegalStateException("a replayed call must not run the work");
        });
        if (!(result instanceof IdempotentResult.Replayed)) {
            throw new IllegalStateException("expected a replay, was " + result);
        }
        calls++;
        return result;
    }
}
