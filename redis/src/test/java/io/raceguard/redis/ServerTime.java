package io.raceguard.redis;

import java.util.List;
import redis.clients.jedis.UnifiedJedis;

/** Reads a Redis server's clock, to check that a primitive decided on it rather than on the JVM's. */
final class ServerTime {

    private ServerTime() {}

    /**
     * @param client the client
     * @param routingKey a key whose node to ask: on a Cluster, each master has its own clock
     * @return that node's {@code TIME} in microseconds since the epoch
     */
    static long micros(UnifiedJedis client, String routingKey) {
        List<?> time = (List<?>) client.eval("return redis.call('time')", List.of(routingKey), List.of());
        return Long.parseLong((String) time.get(0)) * 1_000_000 + Long.parseLong((String) time.get(1));
    }

    /**
     * @param client the client
     * @param routingKey a key whose node to ask
     * @return that node's {@code TIME} in whole milliseconds, as the rate limiters read it
     */
    static long millis(UnifiedJedis client, String routingKey) {
        return micros(client, routingKey) / 1_000;
    }
}
