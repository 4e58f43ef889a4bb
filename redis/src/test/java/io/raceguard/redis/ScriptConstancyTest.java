package io.raceguard.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.raceguard.counter.Counters;
import io.raceguard.idempotency.IdempotencyKey;
import io.raceguard.idempotency.spi.IdempotencyStore;
import io.raceguard.limit.RateLimit.Algorithm;
import io.raceguard.limit.RateLimit;
import io.raceguard.lock.Lease;
import io.raceguard.lock.LeaseOptions;
import io.raceguard.lock.LockManager;
import io.raceguard.testsupport.RedisProcesses;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.RedisClient;

/**
 * Caller data cannot alter a Lua script: on a Redis node of its own, every primitive runs with keys,
 * tokens and values full of Lua and Redis syntax, and afterwards the node's script cache holds exactly
 * the scripts shipped as resources (their SHA-1s, computed from the files) and nothing else. A script
 * with caller data spliced into its text would show up as one more cached script per distinct input.
 */
final class ScriptConstancyTest {

    private static final List<String> SHIPPED = List.of(
            "counter-step.lua", "fenced-write.lua",
            "idempotency-claim.lua", "idempotency-complete.lua", "idempotency-release.lua",
            "idempotency-take-over.lua",
            "limit-fixed-window.lua", "limit-sliding-log.lua", "limit-sliding-window.lua", "limit-token-bucket.lua",
            "lock-acquire.lua", "lock-extend.lua", "lock-release.lua");
    private static final Pattern CACHED_SCRIPTS = Pattern.compile("number_of_cached_scripts:(\\d+)");

    @Test
    void shouldCacheOnlyTheShippedScriptsWhateverTheCallerPasses() {
        try (RedisProcesses node = RedisProcesses.masters(1);
                RedisClient client = RedisClient.builder().hostAndPort(node.address(0))
                        .clientConfig(RedisTarget.CLIENT_CONFIG).build()) {
            List<String> inputs = List.of(
                    AwkwardKey.luaMetacharactersQuotesNewlinesAndFourKilobytesOfUtf8(),
                    "]] redis.call('SET', 'pwned', 1) --[[",
                    "\") return redis.call(\"FLUSHALL\") --",
                    "'; return 1; --",
                    "%s %d \\0 ${ARGV[1]} KEYS[1]");
            for (String input : inputs) {
                runEveryScript(client, input);
            }

            try (Jedis inspection = new Jedis(node.address(0), RedisTarget.INSPECTION_CONFIG)) {
                List<String> shas = SHIPPED.stream().map(name -> LuaScript.fromResource(name).sha()).toList();
                assertThat(inspection.scriptExists(shas.toArray(String[]::new)))
                        .as("every shipped script ran, under the SHA-1 of its file").containsOnly(true);
                assertThat(cachedScripts(inspection)).as("scripts cached on the node").isEqualTo(SHIPPED.size());
                assertThat(inspection.exists("pwned")).as("a key written by injected Lua").isFalse();
            }
        }
    }

    private static void runEveryScript(RedisClient client, String input) {
        Counters counters = RedisCounters.create(client, "constancy:counter:");
        counters.set(input, 1);
        counters.add(input, 1, 10);
        counters.take(input, 1);
        counters.delete(input);

        try (LockManager locks = RedisLocks.create(client)) {
            Lease lease = locks.tryAcquire(input, LeaseOptions.ttl(Duration.ofSeconds(10))).orElseThrow();
            lease.extend(Duration.ofSeconds(10));
            lease.release();
        }

        IdempotencyStore store = RedisIdempotencyStore.create(client, "constancy:idempotency:");
        IdempotencyKey key = IdempotencyKey.of(input, input);
        byte[] bytes = input.getBytes(StandardCharsets.UTF_8);
        Duration minute = Duration.ofMinutes(1);
        store.claim(key, bytes, input, minute, minute);
        store.takeOver(key, input, input + "'", minute);
        store.complete(key, input, bytes, minute);
        store.release(IdempotencyKey.of(input, input + "'"), input);

        for (Algorithm algorithm : Algorithm.values()) {
            RedisRateLimiter.create(client, new RateLimit(algorithm, 5, minute), "constancy:limit:").tryAcquire(input);
        }

        RedisFencedWrites fenced = RedisFencedWrites.create(client, "constancy:fenced:");
        fenced.write(input, 1, input);
        fenced.delete(input);
    }

    private static int cachedScripts(Jedis inspection) {
        Matcher count = CACHED_SCRIPTS.matcher(inspection.info("memory"));
        assertThat(count.find()).as("INFO memory reports number_of_cached_scripts").isTrue();
        return Integer.parseInt(count.group(1));
    }
}
