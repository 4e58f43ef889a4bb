package io.raceguard.benchmarks;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.net.URI;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import redis.clients.jedis.ConnectionPoolConfig;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/**
 * Where the suites find PostgreSQL and Redis, and how they name what they create there. The servers
 * are shared with other work, so every suite creates its tables and keys under a name of its own
 * ({@link #uniqueName}) and removes them in its {@code @TearDown}.
 */
final class BenchmarkServices {

    static final String POSTGRES_VARIABLE = "RACEGUARD_POSTGRES_URL";
    static final String REDIS_VARIABLE = "RACEGUARD_REDIS_URL";
    private static final String POSTGRES_DEFAULT = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres";
    private static final String REDIS_DEFAULT = "redis://127.0.0.1:6379";

    private BenchmarkServices() {}

    /**
     * A pool of {@code size} PostgreSQL connections in autocommit mode (the JDBC default, which
     * {@code Transactions} expects). Commits do not wait for the WAL flush ({@code synchronous_commit
     * = off}, this pool's sessions only): the suites measure what the client adds, and a disk flush per
     * commit would hide it behind the same fixed cost on both sides.
     */
    static HikariDataSource postgresPool(String name, int size) {
        HikariConfig config = new HikariConfig();
        config.setPoolName(name);
        config.setJdbcUrl(setting(POSTGRES_VARIABLE, POSTGRES_DEFAULT));
        config.setMaximumPoolSize(size);
        config.setMinimumIdle(size);
        config.setAutoCommit(true);
        config.addDataSourceProperty("options", "-c synchronous_commit=off");
        return new HikariDataSource(config);
    }

    /** A Jedis client whose pool has room for {@code connections} callers at once. */
    static RedisClient redisClient(int connections) {
        ConnectionPoolConfig pool = new ConnectionPoolConfig();
        pool.setMaxTotal(connections);
        pool.setMaxIdle(connections);
        return RedisClient.builder().fromURI(redisUri()).poolConfig(pool).build();
    }

    /** @return the Redis server, {@code redis://host:port} */
    static URI redisUri() {
        return URI.create(setting(REDIS_VARIABLE, REDIS_DEFAULT));
    }

    /**
     * @param stem what the name is for, a valid SQL identifier
     * @return {@code stem} plus a random suffix: a valid SQL identifier and Redis key prefix that no
     *     other run uses
     */
    static String uniqueName(String stem) {
        byte[] suffix = new byte[4];
        ThreadLocalRandom.current().nextBytes(suffix);
        return stem + "_" + HexFormat.of().formatHex(suffix);
    }

    /** Deletes every key that starts with {@code prefix}. */
    static void deleteKeys(UnifiedJedis redis, String prefix) {
        ScanParams match = new ScanParams().match(prefix + "*").count(1000);
        String cursor = ScanParams.SCAN_POINTER_START;
        do {
            ScanResult<String> page = redis.scan(cursor, match);
            if (!page.getResult().isEmpty()) {
                redis.del(page.getResult().toArray(String[]::new));
            }
            cursor = page.getCursor();
        } while (!cursor.equals(ScanParams.SCAN_POINTER_START));
    }

    private static String setting(String variable, String fallback) {
        String value = System.getenv(variable);
        return value == null || value.isBlank() ? fallback : value.trim();
    }
}
