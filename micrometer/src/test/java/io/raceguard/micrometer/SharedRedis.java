package io.raceguard.micrometer;

import io.raceguard.testsupport.RedisKeyspace;
import io.raceguard.testsupport.RedisService;
import io.raceguard.testsupport.TestServices;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.RedisClient;

/** The machine's Redis, with a key prefix of the test class's own, deleted on close. */
final class SharedRedis implements AutoCloseable {

    private final RedisKeyspace keyspace;
    private final RedisClient client;

    private SharedRedis(RedisKeyspace keyspace, RedisClient client) {
        this.keyspace = keyspace;
        this.client = client;
    }

    /** @throws org.opentest4j.TestAbortedException if no Redis is found (the test is skipped) */
    static SharedRedis open(Class<?> testClass) {
        RedisService service = TestServices.redis();
        return new SharedRedis(service.isolate(testClass),
                RedisClient.builder().hostAndPort(new HostAndPort(service.host(), service.port())).build());
    }

    RedisClient client() {
        return client;
    }

    /** @return a prefix under the test class's keyspace, ending in {@code :} */
    String prefix(String name) {
        return keyspace.prefix() + name + ":";
    }

    @Override
    public void close() {
        keyspace.close();
        client.close();
    }
}
