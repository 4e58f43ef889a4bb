package io.raceguard.examples.shop;

import io.raceguard.counter.Counters;
import io.raceguard.idempotency.spi.IdempotencyStore;
import io.raceguard.jdbc.JdbcCounters;
import io.raceguard.jdbc.JdbcIdempotencyStore;
import io.raceguard.jdbc.JdbcRateLimiter;
import io.raceguard.jdbc.Schema;
import io.raceguard.limit.RateLimit;
import io.raceguard.limit.RateLimiter;
import io.raceguard.redis.RedisCounters;
import io.raceguard.redis.RedisIdempotencyStore;
import io.raceguard.redis.RedisRateLimiter;
import java.net.URI;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.IntSupplier;
import org.jdbi.v3.core.Jdbi;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.util.JedisURIHelper;

/**
 * Where the guarded endpoints keep Raceguard's own state: the stock counter, the login rate
 * limiter and the idempotency records. Thread-safe; close it once the shop has stopped.
 */
final class GuardStores implements Cleanup {

    private static final int DEFAULT_REDIS_PORT = 6379;

    private final String description;
    private final Counters counters;
    private final Function<RateLimit, RateLimiter> rateLimiters;
    private final IdempotencyStore idempotencyStore;
    private final Optional<String> redisKeyPrefix;
    private final IntSupplier redisConnectionsInUse;
    private final Runnable disconnect;

    private GuardStores(String description, Counters counters, Function<RateLimit, RateLimiter> rateLimiters,
            IdempotencyStore idempotencyStore, Optional<String> redisKeyPrefix, IntSupplier redisConnectionsInUse,
            Runnable disconnect) {
        this.description = description;
        this.counters = counters;
        this.rateLimiters = rateLimiters;
        this.idempotencyStore = idempotencyStore;
        this.redisKeyPrefix = redisKeyPrefix;
        this.redisConnectionsInUse = redisConnectionsInUse;
        this.disconnect = disconnect;
    }

    /** Raceguard's tables in the shop's own database, created by {@link Schema}. */
    static GuardStores inDatabase(Jdbi jdbi, String databaseName) {
        Schema.defaults().create(jdbi);
        return new GuardStores("Raceguard's tables in the same " + databaseName + " database",
                JdbcCounters.create(jdbi),
                limit -> JdbcRateLimiter.create(jdbi, limit),
                JdbcIdempotencyStore.create(jdbi),
                Optional.empty(),
                () -> 0,
                () -> { });
    }

    /**
     * Raceguard's keys on one Redis server, under a prefix of this run's own so that several shops can
     * share the server; every connection is named {@code connectionName} ({@code CLIENT SETNAME}).
     */
    static GuardStores onRedis(URI redis, String runId, String connectionName) {
        RedisClient client = RedisClient.builder()
                .hostAndPort(JedisURIHelper.getHostAndPort(redis))
                .clientConfig(DefaultJedisClientConfig.builder(redis).clientName(connectionName).build())
                .build();
        String prefix = "raceguard-demo:" + runId + ":";
        int port = redis.getPort() < 0 ? DEFAULT_REDIS_PORT : redis.getPort();
        return new GuardStores("Redis at " + redis.getHost() + ":" + port + " (keys " + prefix + "*)",
                RedisCounters.create(client, prefix + "counter:"),
                limit -> RedisRateLimiter.create(client, limit, prefix + "limit:"),
                RedisIdempotencyStore.create(client, prefix + "idempotency:"),
                Optional.of(prefix),
                () -> client.getPool().getNumActive(),
                client::close);
    }

    /** @return where the stores are, for people */
    String description() {
        return description;
    }

    Counters counters() {
        return counters;
    }

    RateLimiter rateLimiter(RateLimit limit) {
        return rateLimiters.apply(limit);
    }

    IdempotencyStore idempotencyStore() {
        return idempotencyStore;
    }

    /** @return the prefix of every Redis key the stores write, if they are on Redis */
    Optional<String> redisKeyPrefix() {
        return redisKeyPrefix;
    }

    /** @return the Redis connections borrowed from the pool now; 0 when the stores are in the database */
    int redisConnectionsInUse() {
        return redisConnectionsInUse.getAsInt();
    }

    @Override
    public void close() {
        disconnect.run();
    }
}
