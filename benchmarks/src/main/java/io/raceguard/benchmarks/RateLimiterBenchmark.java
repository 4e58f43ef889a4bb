package io.raceguard.benchmarks;

import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.redis.jedis.cas.JedisBasedProxyManager;
import io.raceguard.limit.RateLimit;
import io.raceguard.limit.RateLimiter;
import io.raceguard.redis.RedisRateLimiter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
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
import redis.clients.jedis.JedisPool;
import redis.clients.jedis.JedisPoolConfig;
import redis.clients.jedis.UnifiedJedis;

/**
 * One hot key, {@value #THREADS} threads each asking for one permit: decisions per second of
 * {@link RedisRateLimiter}'s token bucket against Bucket4j's Jedis backend (compare-and-swap, a
 * {@link JedisPool}). Both have {@value #THREADS} connections and a budget no run can exhaust
 * ({@value #PERMITS_PER_SECOND} a second), so every decision is an allowed one that writes state.
 * The Redis server is {@link BenchmarkServices#redisUri}; keys carry a prefix of their own and are
 * deleted after the trial.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class RateLimiterBenchmark {

    static final int THREADS = 8;
    static final long PERMITS_PER_SECOND = 10_000_000;

    @Param({"Raceguard", "Bucket4j"})
    String impl;

    private String prefix;
    private UnifiedJedis client;
    private JedisPool pool;
    private RateLimiter raceguard;
    private Bucket bucket4j;

    @Setup(Level.Trial)
    public void setUp() {
        prefix = BenchmarkServices.uniqueName("bench_limit") + ":";
        client = BenchmarkServices.redisClient(THREADS);
        if (impl.equals("Raceguard")) {
            raceguard = RedisRateLimiter.create(client,
                    RateLimit.tokenBucket(PERMITS_PER_SECOND, Duration.ofSeconds(1)), prefix);
        } else {
            JedisPoolConfig poolConfig = new JedisPoolConfig();
            poolConfig.setMaxTotal(THREADS);
            poolConfig.setMaxIdle(THREADS);
            URI redis = BenchmarkServices.redisUri();
            pool = new JedisPool(poolConfig, redis.getHost(), redis.getPort() == -1 ? 6379 : redis.getPort());
            JedisBasedProxyManager<byte[]> buckets = JedisBasedProxyManager.builderFor(pool)
                    .withExpirationStrategy(
                            ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(Duration.ofSeconds(10)))
                    .build();
            BucketConfiguration configuration = BucketConfiguration.builder()
                    .addLimit(limit -> limit.capacity(PERMITS_PER_SECOND)
                            .refillGreedy(PERMITS_PER_SECOND, Duration.ofSeconds(1)))
                    .build();
            bucket4j = buckets.builder().build((prefix + "hot").getBytes(StandardCharsets.UTF_8), () -> configuration);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        BenchmarkServices.deleteKeys(client, prefix);
        client.close();
        if (pool != null) {
            pool.close();
        }
    }

    @Benchmark
    @Threads(THREADS)
    public boolean hotKey() {
        if (raceguard != null) {
            return raceguard.tryAcquire("hot", 1).allowed();
        }
        return bucket4j.tryConsume(1);
    }
}
