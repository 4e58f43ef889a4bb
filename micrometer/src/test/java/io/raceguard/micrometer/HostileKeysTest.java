package io.raceguard.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.raceguard.counter.Counters;
import io.raceguard.event.Instrumented;
import io.raceguard.idempotency.Idempotency;
import io.raceguard.idempotency.IdempotencyCodec;
import io.raceguard.idempotency.IdempotencyKey;
import io.raceguard.limit.RateLimit;
import io.raceguard.limit.RateLimiter;
import io.raceguard.lock.Lease;
import io.raceguard.lock.LeaseOptions;
import io.raceguard.lock.LockManager;
import io.raceguard.redis.RedisCounters;
import io.raceguard.redis.RedisIdempotencyStore;
import io.raceguard.redis.RedisLocks;
import io.raceguard.redis.RedisRateLimiter;
import io.raceguard.testing.Hammer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * No meter carries a key: the hammer drives every metered primitive on a real Redis with keys built
 * to look like tags, names and backends, then every tag of every meter is scanned for them.
 */
final class HostileKeysTest {

    private static final List<String> HOSTILE_KEYS = List.of(
            "name=checkout,backend=redis", "user:alice@example.com", "order:42",
            "{slot}key", "key with spaces", "ключ", "\u202ereversed", "a".repeat(200), "secret-token-0f3a9c");
    private static final Set<String> TAG_KEYS = Set.of("name", "backend", "outcome", "cause");
    private static final Set<String> NAMES = Set.of("checkout", "payments", "login", "stock");

    private static SharedRedis redis;

    @BeforeAll
    static void openRedis() {
        redis = SharedRedis.open(HostileKeysTest.class);
    }

    @AfterAll
    static void closeRedis() {
        if (redis != null) {
            redis.close();
        }
    }

    @Test
    void noMeterCarriesAKeyAfterTheHammerRunsWithHostileKeys() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        RaceguardMeters meters = RaceguardMeters.of(registry);
        Idempotency payments = Idempotency.builder(RedisIdempotencyStore.create(redis.client(), redis.prefix("pay")))
                .events("payments", meters).build();
        RateLimiter logins = Instrumented.rateLimiter(RedisRateLimiter.create(redis.client(),
                RateLimit.tokenBucket(3, Duration.ofMinutes(1)), redis.prefix("login")), "login", meters);
        Counters stock = Instrumented.counters(RedisCounters.create(redis.client(), redis.prefix("stock")), "stock",
                meters);
        try (LockManager locks = RedisLocks.builder(redis.client()).keyPrefix(redis.prefix("locks"))
                .events("checkout", meters).build()) {
            HOSTILE_KEYS.forEach(key -> stock.set(key, 5));

            Hammer.create().times(HOSTILE_KEYS.size()).rounds(3).withoutShrinking().fire(worker -> {
                String key = HOSTILE_KEYS.get(worker);
                locks.tryAcquire(key, LeaseOptions.ttl(Duration.ofSeconds(5))).ifPresent(Lease::release);
                payments.execute(IdempotencyKey.of(key, key), key.getBytes(StandardCharsets.UTF_8),
                        IdempotencyCodec.utf8(), () -> key);
                logins.tryAcquire(key);
                return stock.take(key, 2);
            }).expect();
        }

        List<Meter> recorded = registry.getMeters();
        assertThat(recorded).as("every primitive reported").hasSizeGreaterThan(NAMES.size());
        for (Meter meter : recorded) {
            for (Tag tag : meter.getId().getTags()) {
                assertThat(tag.getKey()).as(meter.getId().getName()).isIn(TAG_KEYS);
                assertThat(HOSTILE_KEYS).noneMatch(key -> tag.getValue().contains(key));
                if (tag.getKey().equals("name")) {
                    assertThat(tag.getValue()).isIn(NAMES);
                } else {
                    assertThat(tag.getValue()).as(meter.getId().getName()).matches("[a-z_]+");
                }
            }
            assertThat(meter.getId().getName()).startsWith("raceguard.");
        }
    }
}
