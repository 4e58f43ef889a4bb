package io.raceguard.spring;

import io.raceguard.redis.RedisCounters;
import io.raceguard.redis.RedisIdempotencyStore;
import io.raceguard.redis.RedisLocks;
import io.raceguard.redis.RedisRateLimiter;
import java.net.URI;
import org.springframework.beans.factory.ListableBeanFactory;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.UnifiedJedis;

/** Builds the Redis backend; loaded only when raceguard-redis is on the classpath. */
final class RedisStores {

    private RedisStores() {}

    static boolean hasClient(ListableBeanFactory beans) {
        return beans.getBeanNamesForType(UnifiedJedis.class, false, false).length > 0;
    }

    static RaceguardStores fromClientBean(ListableBeanFactory beans, String keyPrefix) {
        return create(beans.getBean(UnifiedJedis.class), keyPrefix, () -> { });
    }

    static RaceguardStores connect(String url, String keyPrefix) {
        RedisClient client = RedisClient.create(URI.create(url));
        return create(client, keyPrefix, client::close);
    }

    private static RaceguardStores create(UnifiedJedis client, String keyPrefix, AutoCloseable owned) {
        String limits = keyPrefix + "limit:";
        return new RaceguardStores(Backend.REDIS,
                RedisLocks.builder(client).keyPrefix(keyPrefix + "lock:").build(),
                RedisCounters.create(client, keyPrefix + "counter:"),
                RedisIdempotencyStore.create(client, keyPrefix + "idempotency:"),
                limit -> RedisRateLimiter.create(client, limit, limits), owned);
    }
}
