package io.raceguard.examples.demo;

import io.raceguard.testsupport.JdbcService;
import io.raceguard.testsupport.RedisKeyspace;
import io.raceguard.testsupport.RedisService;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import redis.clients.jedis.Jedis;

/**
 * What one shop holds on the shared PostgreSQL and Redis servers, found by the names it gives its
 * connections, its schema and its keys, so that other users of the servers are never counted.
 */
final class ShopFootprint {

    private final JdbcService postgres;
    private final RedisService redis;
    private final String connectionName;
    private final String schema;
    private final RedisKeyspace keys;

    ShopFootprint(JdbcService postgres, RedisService redis, String connectionName, String schema, String keyPrefix) {
        this.postgres = postgres;
        this.redis = redis;
        this.connectionName = connectionName;
        this.schema = schema;
        this.keys = redis.keyspace(keyPrefix);
    }

    /** @return the PostgreSQL backends whose {@code application_name} is the shop's, as {@code pid state} */
    List<String> postgresConnections() throws SQLException {
        return column("SELECT pid || ' ' || COALESCE(state, '') FROM pg_stat_activity WHERE application_name = ?",
                connectionName);
    }

    boolean schemaExists() throws SQLException {
        return !column("SELECT schema_name FROM information_schema.schemata WHERE schema_name = ?", schema).isEmpty();
    }

    /** @return the lines of {@code CLIENT LIST} that name the shop's Redis connections */
    List<String> redisConnections() {
        try (Jedis jedis = redis.connect()) {
            return jedis.clientList().lines()
                    .filter(client -> Arrays.asList(client.split(" ")).contains("name=" + connectionName))
                    .toList();
        }
    }

    /**
     * @return every key under the shop's prefix with its milliseconds to live: -1 for a key without a
     *     ttl, -2 for one that expired since the scan
     */
    Map<String, Long> redisKeysWithMillisToLive() {
        Map<String, Long> millisToLive = new TreeMap<>();
        try (Jedis jedis = redis.connect()) {
            for (String key : keys.remainingKeys()) {
                millisToLive.put(key, jedis.pttl(key));
            }
        }
        return millisToLive;
    }

    /** Deletes the keys under the shop's prefix that still wait for their ttl. */
    void sweepRedisKeys() {
        keys.close();
    }

    private List<String> column(String sql, String parameter) throws SQLException {
        try (Connection connection = postgres.connect();
                PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, parameter);
            List<String> values = new ArrayList<>();
            try (ResultSet result = statement.executeQuery()) {
                while (result.next()) {
                    values.add(result.getString(1));
                }
            }
            return values;
        }
    }
}
