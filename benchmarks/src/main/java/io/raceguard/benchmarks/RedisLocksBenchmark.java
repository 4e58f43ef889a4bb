package io.raceguard.benchmarks;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
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
 * Uncontended lock acquire + release on Redis, each thread on a key of its own, so nobody ever
 * waits: {@link io.raceguard.redis.RedisLocks} against the floor (raw {@code SET NX PX} plus an
 * {@code EVALSHA} compare-and-delete, see {@link JedisFloorLockSubject}) and against Redisson's
 * {@code RLock}. Scores are completed acquire + release pairs per second.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class RedisLocksBenchmark {

    private static final int MAX_THREADS = 8;

    @Param({"raceguard", "jedis-floor", "redisson"})
    public String impl;

    private String keyPrefix;
    private LockSubject locks;

    @Setup
    public void setUp() {
        keyPrefix = BenchmarkServices.uniqueName("rg_bench_locks") + ":";
        locks = LockSubject.open(impl, keyPrefix, MAX_THREADS, false);
    }

    @TearDown
    public void tearDown() {
        locks.close();
        try (RedisClient redis = BenchmarkServices.redisClient(1)) {
            BenchmarkServices.deleteKeys(redis, keyPrefix);
        }
    }

    /** A lock key for each benchmark thread, used by no other thread. */
    @State(Scope.Thread)
    public static class OwnKey {
        private static final AtomicInteger THREADS = new AtomicInteger();
        final String key = "thread-" + THREADS.incrementAndGet();
    }

    @Benchmark
    @Threads(1)
    public void oneThread(OwnKey own) throws InterruptedException {
        locks.acquireAndRelease(own.key);
    }

    @Benchmark
    @Threads(MAX_THREADS)
    public void eightThreads(OwnKey own) throws InterruptedException {
        locks.acquireAndRelease(own.key);
    }
}
