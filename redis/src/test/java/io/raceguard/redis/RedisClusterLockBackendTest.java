package io.raceguard.redis;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.params.ScanParams;

/**
 * The Redis lock backend on a private 3-master Redis Cluster, plus what only a private server can
 * show: scripts reloaded after every node forgot them, and one command per acquire and per release.
 */
final class RedisClusterLockBackendTest extends RedisLockBackendCases {

    private static final int KEYS = 60;

    @RegisterExtension
    static final RedisTarget CLUSTER = RedisTarget.privateCluster();

    @Override
    RedisTarget target() {
        return CLUSTER;
    }

    @Test
    void shouldSpreadLocksOverEveryMaster() {
        List<String> keys = keys();
        String owner = UUID.randomUUID().toString();
        RedisLockBackend backend = new RedisLockBackend(CLUSTER.client(), CLUSTER.prefix(), false);
        keys.forEach(key -> backend.tryAcquire(key, owner, LONG_TTL).orElseThrow());

        for (HostAndPort master : CLUSTER.masters()) {
            try (Jedis jedis = CLUSTER.connect(master)) {
                assertThat(jedis.scan(ScanParams.SCAN_POINTER_START, new ScanParams().match(CLUSTER.prefix() + "*")
                        .count(1_000))
                        .getResult()).as("lock keys on %s", master).isNotEmpty();
            }
        }
        keys.forEach(key -> assertThat(backend.release(key, owner)).isTrue());
    }

    @Test
    void shouldReloadItsScriptsOnEveryNodeThatForgotThem() {
        for (HostAndPort master : CLUSTER.masters()) {
            try (Jedis jedis = CLUSTER.connect(master)) {
                jedis.scriptFlush();
            }
        }

        for (String key : keys()) {
            assertThat(successiveTokens(key, 2)).isSorted().doesNotHaveDuplicates();
        }

        for (HostAndPort master : CLUSTER.masters()) {
            try (Jedis jedis = CLUSTER.connect(master)) {
                assertThat(jedis.scriptExists(RedisLockBackend.ACQUIRE.sha(), RedisLockBackend.RELEASE.sha()))
                        .as("scripts cached again on %s", master).containsOnly(true);
            }
        }
    }

    @Test
    void shouldSendExactlyOneEvalshaPerAcquireAndPerRelease() {
        List<String> keys = keys();
        keys.forEach(key -> successiveTokens(key, 1)); // every node has the scripts now
        for (HostAndPort master : CLUSTER.masters()) {
            try (Jedis jedis = CLUSTER.connect(master)) {
                jedis.configResetStat();
            }
        }

        keys.forEach(key -> successiveTokens(key, 1, Duration.ofSeconds(5)));

        // Redis counts the commands a script runs too: an acquire runs SET, TIME, SET ... GET; a
        // release of a lock with at most 10 s left GET, PTTL, DEL (the fence key expires by itself).
        // Anything else would be an extra round trip, or extra server work per lock.
        assertThat(commandCalls()).as("commands the masters ran for %d acquires and %d releases", KEYS, KEYS)
                .isEqualTo(Map.of("evalsha", 2L * KEYS, "set", 2L * KEYS, "time", 1L * KEYS,
                        "get", 1L * KEYS, "pttl", 1L * KEYS, "del", 1L * KEYS));
    }

    private static List<String> keys() {
        List<String> keys = new ArrayList<>(KEYS);
        for (int i = 0; i < KEYS; i++) {
            keys.add("stock:" + UUID.randomUUID());
        }
        return keys;
    }

    /** @return calls per command since the last reset, summed over the masters, without the test's own */
    private static Map<String, Long> commandCalls() {
        Map<String, Long> calls = new java.util.HashMap<>();
        for (HostAndPort master : CLUSTER.masters()) {
            try (Jedis jedis = CLUSTER.connect(master)) {
                for (String line : jedis.info("commandstats").split("\r?\n")) {
                    if (line.startsWith("cmdstat_")) {
                        String command = line.substring("cmdstat_".length(), line.indexOf(':'));
                        long count = Long.parseLong(line.replaceAll(".*[:,]calls=(\\d+).*", "$1"));
                        calls.merge(command, count, Long::sum);
                    }
                }
            }
        }
        return calls.entrySet().stream()
                .filter(entry -> !entry.getKey().equals("info") && !entry.getKey().startsWith("config")
                        && !entry.getKey().startsWith("cluster") && !entry.getKey().equals("ping"))
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    }
}
