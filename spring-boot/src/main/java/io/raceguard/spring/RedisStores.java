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

    static RaceguardStores fromClientBean(ListableBeanFactory beans) {
        return create(beans.getBean(UnifiedJedis.class), () -> { });
    }

    static RaceguardStores connect(String url) {
        RedisClient client = RedisClient.create(URI.create(url));
        return create(client, client::close);
    }

    private static RaceguardStores create(UnifiedJedis client, AutoCloseable owned) {
        return new RaceguardStores(Backend.REDIS, RedisLocks.create(client), RedisCounters.create(client),
                RedisIdempotencyStore.create(client), limit -> RedisRateLimiter.create(client, limit), owned);
    }
}
