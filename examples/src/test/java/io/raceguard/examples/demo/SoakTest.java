package io.raceguard.examples.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.raceguard.examples.shop.Shop;
import io.raceguard.testsupport.JdbcService;
import io.raceguard.testsupport.RedisService;
import io.raceguard.testsupport.TestServices;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestReporter;

/**
 * The bounded soak: every guarded seed endpoint of the demo shop, with the shop's tables on PostgreSQL
 * and Raceguard's counters, rate limits and idempotency records on Redis (both found by
 * {@code TestServices}), for {@code raceguard.soak.rounds} rounds (default {@value #DEFAULT_ROUNDS}) of
 * {@code raceguard.soak.concurrency} aligned requests (default {@value #DEFAULT_CONCURRENCY}, at least 5:
 * the login limit lets five through): per round
 * {@code POST /reset}, then the volley with the HTTP hammer's last-byte synchronisation, then
 * {@code GET /state/guarded}. Every round must change the state exactly as often as the seed attack
 * allows ({@link Attacks}), without a server error.
 *
 * <p>Then the shop must leave nothing behind:
 * <ul>
 *   <li>once every request is answered, no database handle is open and no Redis connection borrowed;
 *   <li>once it is closed, PostgreSQL and Redis list none of its connections, its schema is gone, and
 *       none of the threads it started (HTTP handlers and dispatcher, the connection pool's) is alive;
 *   <li>every Redis key it wrote carries a ttl within the retention the shop asks for (the counters,
 *       which never expire, are removed on close), so that the keyspace empties on its own.
 * </ul>
 * Each leak check is first seen to find what it looks for while the shop runs.
 *
 * <p>The default profile runs in CI; with {@code RACEGUARD_REQUIRE_SERVICES=true} a missing server
 * fails it. A longer profile on demand:
 * <pre>
 * mvn -B -pl examples -am verify -Dtest=SoakTest -Dsurefire.failIfNoSpecifiedTests=false \
 *     -Draceguard.soak.rounds=2000 -Draceguard.soak.concurrency=20
 * </pre>
 */
final class SoakTest {

    static final int DEFAULT_ROUNDS = 50;
    static final int DEFAULT_CONCURRENCY = 20;

    private static final int ROUNDS = positiveProperty("raceguard.soak.rounds", DEFAULT_ROUNDS);
    private static final int CONCURRENCY = positiveProperty("raceguard.soak.concurrency", DEFAULT_CONCURRENCY);

    /** The longest ttl the shop gives a key: its idempotency records' retention. */
    private static final Duration LONGEST_TTL = Duration.ofMinutes(10);

    /** {@code PTTL} of a key without a ttl. */
    private static final long NO_TTL = -1;

    /** {@code PTTL} of a key that is gone. */
    private static final long EXPIRED_SINCE_SCAN = -2;

    /** A generous bound for what happens in the background once the shop is closed. */
    private static final Duration SETTLING = Duration.ofSeconds(60);

    /** The test's own JDK HTTP client (no {@code close()} before Java 21) lives until it is collected. */
    private static final Predicate<String> NOT_UNDER_TEST = name -> name.startsWith("HttpClient-");

    @Test
    void shouldHoldEveryGuardedEndpointInEveryRoundAndLeaveNothingBehind(TestReporter reporter) throws Exception {
        assertThat((long) CONCURRENCY)
                .as("raceguard.soak.concurrency: requests per round, at least what any attack allows")
                .isGreaterThanOrEqualTo(Attacks.all().stream().mapToLong(Attack::allowed).max().orElseThrow());
        JdbcService postgres = TestServices.postgres();
        RedisService redis = TestServices.redis();
        LiveThreads before = LiveThreads.now();
        long started = System.nanoTime();
        Duration cpuBefore = cpuTime();
        Shop shop = Shop.start(ServersForTests.postgresAndRedis(postgres, redis));
        ShopFootprint footprint = new ShopFootprint(postgres, redis, shop.connectionName(),
                shop.postgresSchema().orElseThrow(), shop.redisKeyPrefix().orElseThrow());
        String counterPrefix = shop.redisKeyPrefix().orElseThrow() + "counter:";
        try {
            try {
                List<AttackResult> results = soak(shop, reporter);
                assertThat(results).allSatisfy(result -> assertThat(result.brokenRounds())
                        .as("rounds with an invariant violation at %s", result.attack().endpoint())
                        .isZero());

                assertThat(shop.connectionsInUse()).as("connections held once every request was answered").isZero();
                assertThat(footprint.postgresConnections()).as("the shop's pooled PostgreSQL connections").isNotEmpty();
                assertThat(footprint.redisConnections()).as("the shop's pooled Redis connections").isNotEmpty();
                assertThat(LiveThreads.now().startedSince(before, NOT_UNDER_TEST)).as("threads the shop started")
                        .anyMatch(name -> name.startsWith("shop-handler-"))
                        .anyMatch(name -> name.startsWith(shop.connectionName()));
                Map<String, Long> keys = footprint.redisKeysWithMillisToLive();
                assertThat(keys.keySet()).as("the shop's Redis keys").anyMatch(key -> key.startsWith(counterPrefix))
                        .anyMatch(key -> !key.startsWith(counterPrefix));
                assertTtls(keys, key -> key.startsWith(counterPrefix));
            } finally {
                shop.close();
            }

            awaitNone("PostgreSQL connections", footprint::postgresConnections);
            awaitNone("Redis connections", footprint::redisConnections);
            awaitNone("threads", () -> LiveThreads.now().startedSince(before, NOT_UNDER_TEST));
            assertThat(footprint.schemaExists()).as("the shop's schema after close").isFalse();
            assertTtls(footprint.redisKeysWithMillisToLive(), key -> false);
        } finally {
            footprint.sweepRedisKeys();
        }
        String took = "took " + Duration.ofNanos(System.nanoTime() - started).toSeconds() + " s ("
                + cpuTime().minus(cpuBefore).toSeconds() + " s of CPU in this JVM), leak checks included";
        reporter.publishEntry("soak", took);
        System.out.println("Soak " + took);
    }

    private static List<AttackResult> soak(Shop shop, TestReporter reporter) {
        DemoRun run = new DemoRun(shop.uri(), CONCURRENCY, ROUNDS);
        List<AttackResult> results = new ArrayList<>();
        for (Attack attack : Attacks.all()) {
            AttackResult result = run.attack(attack, AttackResult.GUARDED);
            String line = String.format("%-21s %d rounds x %d requests, %d violations, median release skew %s",
                    attack.endpoint(), result.rounds().size(), CONCURRENCY, result.brokenRounds(),
                    ResultTable.text(result.medianReleaseSpread()));
            reporter.publishEntry(Map.of("soak " + attack.path(), line));
            System.out.println(line);
            results.add(result);
        }
        return results;
    }

    /** Reads a profile setting; a typo fails the soak instead of quietly running the default. */
    private static int positiveProperty(String name, int defaultValue) {
        String text = System.getProperty(name, Integer.toString(defaultValue)).strip();
        if (!text.matches("[1-9][0-9]{0,8}")) {
            throw new IllegalArgumentException(
                    name + " must be a whole number from 1 to 999999999, was '" + text + "'");
        }
        return Integer.parseInt(text);
    }

    /** @return the CPU time this JVM has used, or zero where the platform does not tell */
    private static Duration cpuTime() {
        return ProcessHandle.current().info().totalCpuDuration().orElse(Duration.ZERO);
    }

    /**
     * Asserts that each counter has no ttl (a counter never expires; the shop removes its own on close)
     * and every other key expires within the shop's longest ttl, after which Redis removes it on its own.
     * A key that expired between the scan and the look at its ttl counts as expired.
     */
    private static void assertTtls(Map<String, Long> millisToLive, Predicate<String> counter) {
        millisToLive.forEach((key, millis) -> {
            if (counter.test(key)) {
                assertThat(millis).as("ms to live of the counter %s", key).isEqualTo(NO_TTL);
            } else {
                assertThat(millis == EXPIRED_SINCE_SCAN || millis >= 1 && millis <= LONGEST_TTL.toMillis())
                        .as("%s has %s ms to live (-1: no ttl), expected at most %s", key, millis, LONGEST_TTL)
                        .isTrue();
            }
        });
    }

    /** Waits, up to {@link #SETTLING}, until the probe finds nothing, then asserts that it found nothing. */
    private static void awaitNone(String what, Probe probe) throws Exception {
        long deadline = System.nanoTime() + SETTLING.toNanos();
        List<String> left = probe.find();
        while (!left.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(100);
            left = probe.find();
        }
        assertThat(left).as("the shop's %s still there %s after close", what, SETTLING).isEmpty();
    }

    @FunctionalInterface
    private interface Probe {
        List<String> find() throws Exception;
    }
}
