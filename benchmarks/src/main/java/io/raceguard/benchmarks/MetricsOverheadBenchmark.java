package io.raceguard.benchmarks;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.raceguard.Outcome;
import io.raceguard.counter.Counters;
import io.raceguard.counter.InMemoryCounters;
import io.raceguard.event.Instrumented;
import io.raceguard.lock.Lease;
import io.raceguard.lock.LeaseOptions;
import io.raceguard.lock.LockManager;
import io.raceguard.micrometer.RaceguardMeters;
import io.raceguard.redis.RedisLocks;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import redis.clients.jedis.RedisClient;

/**
 * What reporting to metrics costs, in one run: a Redis lock acquire + release and an in-memory
 * {@code Counters.take}, with no listener (the primitives as built by default) and with
 * {@link RaceguardMeters} on a {@link SimpleMeterRegistry}. Every take applies (the level never runs
 * out), and the lock key is never contended, so this is the cost of the common path. The ratio
 * {@code RatioReport} prints is the metered throughput over the unmetered one.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class MetricsOverheadBenchmark {

    private static final String KEY = "stock:42";
    private static final LeaseOptions LEASE = LeaseOptions.ttl(Duration.ofSeconds(10));

    @Param({"micrometer", "none"})
    public String impl;

    private String keyPrefix;
    private RedisClient client;
    private LockManager locks;
    private Counters counters;

    @Setup
    public void setUp() {
        keyPrefix = BenchmarkServices.uniqueName("rg_bench_metrics") + ":";
        client = BenchmarkServices.redisClient(1);
        RedisLocks.Builder lockBuilder = RedisLocks.builder(client).keyPrefix(keyPrefix);
        Counters inMemory = InMemoryCounters.create();
        if (impl.equals("micrometer")) {
            RaceguardMeters meters = RaceguardMeters.of(new SimpleMeterRegistry());
            lockBuilder.events("bench", meters);
            inMemory = Instrumented.counters(inMemory, "bench", meters);
        } else if (!impl.equals("none")) {
            throw new IllegalArgumentException("unknown impl " + impl);
        }
        locks = lockBuilder.build();
        counters = inMemory;
        counters.set(KEY, Long.MAX_VALUE / 2);
    }

    @TearDown
    public void tearDown() {
        locks.close();
        BenchmarkServices.deleteKeys(client, keyPrefix);
        client.close();
    }

    @Benchmark
    @Threads(1)
    public void redisLockAcquireRelease() {
        Lease lease = locks.tryAcquire("bench-lock", LEASE).orElseThrow();
        lease.release();
    }

    @Benchmark
    @Threads(1)
    public Outcome<Long> countersTake() {
        return counters.take(KEY, 1);
    }
}
