package io.raceguard.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.raceguard.testsupport.RedisKeyspace;
import io.raceguard.testsupport.RedisProcesses;
import io.raceguard.testsupport.RedisService;
import io.raceguard.testsupport.TestServices;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.opentest4j.TestAbortedException;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.RedisClusterClient;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/**
 * A Redis a test class works on, under a key prefix of its own: the shared server of this machine
 * ({@link TestServices#redis()}), or a private 3-master Redis Cluster started for the class. A JUnit
 * extension: register it in a static field with {@code @RegisterExtension}; it opens before the
 * first test of the class that declares it and closes after its last (nested classes share it).
 */
final class RedisTarget implements BeforeAllCallback, BeforeEachCallback, AfterAllCallback {

    static final JedisClientConfig CLIENT_CONFIG = DefaultJedisClientConfig.builder()
            .connectionTimeoutMillis(2_000).socketTimeoutMillis(5_000).build();
    /** For plain {@link Jedis} connections, which speak RESP2 only. */
    static final JedisClientConfig INSPECTION_CONFIG = DefaultJedisClientConfig.builder()
            .autoNegotiateProtocol(false).connectionTimeoutMillis(2_000).socketTimeoutMillis(5_000).build();

    private final Function<Class<?>, Opened> opener;
    private Class<?> owner;
    private Opened opened;
    private TestAbortedException unavailable;

    private RedisTarget(Function<Class<?>, Opened> opener) {
        this.opener = opener;
    }

    /** @return the machine's shared Redis, with a prefix isolated for the test class */
    static RedisTarget sharedServer() {
        return new RedisTarget(testClass -> {
            RedisService service = TestServices.redis();
            RedisKeyspace keyspace = service.isolate(testClass);
            HostAndPort address = new HostAndPort(service.host(), service.port());
            RedisClient client = RedisClient.builder().hostAndPort(address).clientConfig(CLIENT_CONFIG).build();
            return new Opened(client, keyspace.prefix(), List.of(address), List.of(keyspace, client));
        });
    }

    /** @return a fresh 3-master Redis Cluster on loopback ports, skipped where redis-server is absent */
    static RedisTarget privateCluster() {
        return new RedisTarget(testClass -> {
            RedisProcesses cluster = RedisProcesses.cluster(3);
            RedisClusterClient client = RedisClusterClient.builder()
                    .nodes(new HashSet<>(cluster.addresses())).clientConfig(CLIENT_CONFIG).build();
            return new Opened(client, "rg_" + testClass.getSimpleName() + ":", cluster.addresses(),
                    List.of(client, cluster));
        });
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        if (opened == null && unavailable == null) {
            owner = context.getRequiredTestClass();
            try {
                opened = opener.apply(owner);
            } catch (TestAbortedException e) {
                unavailable = e;
            }
        }
    }

    /** Skips each test, with the reason, when the Redis could not be had: a class-level skip goes unreported. */
    @Override
    public void beforeEach(ExtensionContext context) {
        if (unavailable != null) {
            throw unavailable;
        }
    }

    /** Closes, in order, what was opened: keys under the prefix, the client, the processes. */
    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        if (opened != null && context.getRequiredTestClass() == owner) {
            for (AutoCloseable resource : opened.resources()) {
                resource.close();
            }
            opened = null;
        }
    }

    /** @return the client, shared by the test class */
    UnifiedJedis client() {
        return opened.client();
    }

    /** @return the prefix of every key the test class may write */
    String prefix() {
        return opened.prefix();
    }

    /** @return the addresses of the masters, to inspect each node directly */
    List<HostAndPort> masters() {
        return opened.masters();
    }

    /** @return a plain connection to one master; the caller closes it */
    Jedis connect(HostAndPort master) {
        return new Jedis(master, INSPECTION_CONFIG);
    }

    /** @return every key under the prefix, on every master, with its remaining ttl in ms (-1: none) */
    Map<String, Long> remainingKeys() {
        Map<String, Long> keys = new LinkedHashMap<>();
        ScanParams match = new ScanParams().match(prefix() + "*").count(500);
        for (HostAndPort master : masters()) {
            try (Jedis jedis = connect(master)) {
                String cursor = ScanParams.SCAN_POINTER_START;
                do {
                    ScanResult<String> page = jedis.scan(cursor, match);
                    page.getResult().forEach(key -> keys.put(key, jedis.pttl(key)));
                    cursor = page.getCursor();
                } while (!ScanParams.SCAN_POINTER_START.equals(cursor));
            }
        }
        keys.values().removeIf(ttl -> ttl == -2); // expired between SCAN and PTTL
        return keys;
    }

    /**
     * Asserts that every key left under the prefix will expire within {@code longestTtl}, then
     * deletes them so that the next test starts clean.
     *
     * @param longestTtl the longest ttl the test gave any key
     */
    void assertNothingOutlivesItsTtl(Duration longestTtl) {
        Map<String, Long> left = remainingKeys();
        assertThat(left.values())
                .as("remaining ttl (ms) of every key left under %s: %s", prefix(), left)
                .allSatisfy(ttl -> assertThat(ttl).isBetween(0L, longestTtl.toMillis()));
        left.keySet().forEach(client()::del);
    }

    private record Opened(UnifiedJedis client, String prefix, List<HostAndPort> masters,
            List<AutoCloseable> resources) {}
}
