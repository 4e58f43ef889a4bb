package io.raceguard.benchmarks;

import io.raceguard.limit.InMemoryRateLimiter;
import io.raceguard.limit.RateLimit;
import io.raceguard.limit.RateLimiter;
import io.raceguard.redis.RedisRateLimiter;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
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
import redis.clients.jedis.UnifiedJedis;

/**
 * One hot key, {@value #THREADS} threads each asking for one permit: decisions per second of the
 * sliding log (exact over every rolling window, an entry per permit) against the sliding window
 * counter (an estimate, constant state), in memory and on Redis, for a limit of 100 and of 10,000
 * per second. Once the limit is spent most decisions are refusals; with the larger limit the log
 * holds up to 10,000 entries, so this also measures what an entry per permit costs. The Redis server
 * is {@link BenchmarkServices#redisUri}; keys carry a prefix of their own and are deleted after the
 * trial.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class SlidingLogBenchmark {

    static final int THREADS = 8;

    /** The subject first, then its baseline (see {@link RatioReport}). */
    @Param({"SlidingLog", "SlidingWindow"})
    String impl;

    @Param({"InMemory", "Redis"})
    String backend;

    @Param({"100", "10000"})
    long limitPerSecond;

    private String prefix;
    private UnifiedJedis client;
    private RateLimiter limiter;

    @Setup(Level.Trial)
    public void setUp() {
        RateLimit policy = impl.equals("SlidingLog")
                ? RateLimit.slidingLog(limitPerSecond, Duration.ofSeconds(1))
                : RateLimit.slidingWindow(limitPerSecond, Duration.ofSeconds(1));
        if (backend.equals("Redis")) {
            prefix = BenchmarkServices.uniqueName("bench_log") + ":";
            client = BenchmarkServices.redisClient(THREADS);
            limiter = RedisRateLimiter.create(client, policy, prefix);
        } else {
            limiter = InMemoryRateLimiter.create(policy);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        if (client != null) {
            BenchmarkServices.deleteKeys(client, prefix);
            client.close();
        }
    }

    @Benchmark
    @Threads(THREADS)
    public boolean hotKey() {
        return limiter.tryAcquire("hot", 1).allowed();
    }
}
