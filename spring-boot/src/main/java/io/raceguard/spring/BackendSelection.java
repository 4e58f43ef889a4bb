package io.raceguard.spring;

import io.raceguard.counter.InMemoryCounters;
import io.raceguard.idempotency.InMemoryIdempotencyStore;
import io.raceguard.limit.InMemoryRateLimiter;
import io.raceguard.lock.InMemoryLocks;
import java.util.Locale;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.util.ClassUtils;

/**
 * Chooses the backend at startup: {@code raceguard.backend} if set; else a {@link DataSource} bean with
 * raceguard-jdbc on the classpath; else a Jedis {@code UnifiedJedis} bean or {@code raceguard.redis.url}
 * with raceguard-redis on the classpath (the application's class loader); else memory. Logs the choice at INFO, and memory at WARN.
 */
final class BackendSelection {

    private static final Logger log = LoggerFactory.getLogger(BackendSelection.class);
    private static final String JDBC_TYPE = "io.raceguard.jdbc.JdbcLocks";
    private static final String REDIS_TYPE = "io.raceguard.redis.RedisLocks";

    private BackendSelection() {}

    static RaceguardStores choose(ConfigurableListableBeanFactory beans, RaceguardProperties properties) {
        ClassLoader loader = beans.getBeanClassLoader();
        boolean jdbcPresent = ClassUtils.isPresent(JDBC_TYPE, loader);
        boolean redisPresent = ClassUtils.isPresent(REDIS_TYPE, loader);
        Backend forced = properties.getBackend();
        boolean hasDataSource = beans.getBeanNamesForType(DataSource.class, false, false).length > 0;
        boolean hasRedisClient = redisPresent && RedisStores.hasClient(beans);
        String configuredUrl = properties.getRedis().getUrl();
        String redisUrl = configuredUrl == null || configuredUrl.isBlank() ? null : configuredUrl;
        Backend chosen = forced != null ? forced
                : jdbcPresent && hasDataSource ? Backend.JDBC
                : redisPresent && (hasRedisClient || redisUrl != null) ? Backend.REDIS
                : Backend.MEMORY;
        String why = forced != null ? "raceguard.backend=" + forced.name().toLowerCase(Locale.ROOT)
                : chosen == Backend.JDBC ? "the application's DataSource"
                : chosen == Backend.REDIS ? (hasRedisClient ? "the application's UnifiedJedis" : "raceguard.redis.url")
                : "no DataSource with raceguard-jdbc, no UnifiedJedis or raceguard.redis.url with raceguard-redis";
        requirePresent(chosen, jdbcPresent, redisPresent);
        if (chosen == Backend.MEMORY) {
            log.warn("Raceguard uses the MEMORY backend ({}): its locks, counters, idempotency keys and rate limits"
                    + " hold within this one JVM only, not across instances of the application", why);
            return new RaceguardStores(Backend.MEMORY, InMemoryLocks.create(), InMemoryCounters.create(),
                    InMemoryIdempotencyStore.create(), InMemoryRateLimiter::create, () -> { });
        }
        log.info("Raceguard uses the {} backend ({})", chosen, why);
        if (chosen == Backend.JDBC) {
            return JdbcStores.create(beans.getBean(DataSource.class), properties.getJdbc().isCreateSchema());
        }
        String keyPrefix = properties.getRedis().getKeyPrefix();
        return hasRedisClient ? RedisStores.fromClientBean(beans, keyPrefix)
                : RedisStores.connect(requireUrl(redisUrl), keyPrefix);
    }

    private static void requirePresent(Backend chosen, boolean jdbcPresent, boolean redisPresent) {
        if (chosen == Backend.JDBC && !jdbcPresent || chosen == Backend.REDIS && !redisPresent) {
            throw new IllegalStateException("raceguard.backend=" + chosen + " needs raceguard-"
                    + chosen.name().toLowerCase(Locale.ROOT) + " on the classpath");
        }
    }

    private static String requireUrl(String url) {
        if (url == null) {
            throw new IllegalStateException("raceguard.backend=redis needs a UnifiedJedis bean or raceguard.redis.url");
        }
        return url;
    }
}
