package io.raceguard.benchmarks;

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
 * One hot lock, 8 threads each waiting for it, then releasing it at once: {@link
 * io.raceguard.redis.RedisLocks} against Redisson's {@code RLock}. {@code criticalSections} counts
 * completed acquire(wait) + release pairs per second; {@code acquireRelease} samples the time of each
 * pair, mostly waiting, whose 99th percentile the report shows.
 *
 * <p>{@code wakeup} chooses how Raceguard's waiters learn of a release: {@code backoff}, the default
 * (jittered exponential pauses), or {@code pubsub} (release notifications on, the setting its javadoc
 * recommends for contended keys). Redisson always wakes waiters by pub/sub; its rows repeat under both.
 */
@State(Scope.Benchmark)
@Fork(1)
@Threads(8)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class RedisHotLockBenchmark {

    private static final String HOT_KEY = "hot";

    @Param({"raceguard", "redisson"})
    public String impl;

    @Param({"backoff", "pubsub"})
    public String wakeup;

    private String keyPrefix;
    private LockSubject locks;

    @Setup
    public void setUp() {
        keyPrefix = BenchmarkServices.uniqueName("rg_bench_hot_lock") + ":";
        locks = LockSubject.open(impl, keyPrefix, 8, wakeup.equals("pubsub"));
    }

    @TearDown
    public void tearDown() {
        locks.close();
        try (RedisClient redis = BenchmarkServices.redisClient(1)) {
            BenchmarkServices.deleteKeys(redis, keyPrefix);
        }
    }

    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    public void criticalSections() throws InterruptedException {
        locks.acquireAndRelease(HOT_KEY);
    }

    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public void acquireRelease() throws InterruptedException {
        locks.acquireAndRelease(HOT_KEY);
    }
}
