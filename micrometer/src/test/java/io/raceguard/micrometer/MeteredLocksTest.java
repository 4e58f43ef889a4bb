package io.raceguard.micrometer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.raceguard.lock.InMemoryLocks;
import io.raceguard.lock.Lease;
import io.raceguard.lock.LeaseOptions;
import io.raceguard.lock.LockManager;
import io.raceguard.lock.LockTimeoutException;
import io.raceguard.redis.RedisLocks;
import io.raceguard.testing.ManualTicker;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Each lock event is counted once, on the in-memory backend and on a real Redis. */
final class MeteredLocksTest {

    private static SharedRedis redis;

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final MeterReadings meters = new MeterReadings(registry);

    @BeforeAll
    static void openRedis() {
        redis = SharedRedis.open(MeteredLocksTest.class);
    }

    @AfterAll
    static void closeRedis() {
        if (redis != null) {
            redis.close();
        }
    }

    @Test
    void aLeaseHeldPastItsTtlCountsOneLostLeaseInMemory() {
        ManualTicker ticker = new ManualTicker();
        try (LockManager locks = InMemoryLocks.builder(ticker)
                .events("checkout", RaceguardMeters.of(registry)).build()) {
            Lease lease = locks.tryAcquire("order:1", LeaseOptions.ttl(Duration.ofSeconds(1))).orElseThrow();
            ticker.advance(Duration.ofSeconds(2));
            lease.release();
            lease.release();
        }

        assertThat(meters.count("raceguard.lock.lost", "name", "checkout", "backend", "inmemory")).isEqualTo(1);
        assertThat(meters.count("raceguard.lock.acquired", "name", "checkout")).isEqualTo(1);
        assertThat(meters.count("raceguard.lock.held", "name", "checkout")).isEqualTo(1);
    }

    @Test
    void aLeaseHeldPastItsTtlCountsOneLostLeaseOnRedis() throws InterruptedException {
        try (LockManager locks = RedisLocks.builder(redis.client()).keyPrefix(redis.prefix("lost"))
                .events("checkout", RaceguardMeters.of(registry)).build()) {
            Lease lease = locks.tryAcquire("order:1", LeaseOptions.ttl(Duration.ofMillis(100))).orElseThrow();
            Thread.sleep(300);
            Lease next = locks.tryAcquire("order:1", LeaseOptions.ttl(Duration.ofSeconds(5))).orElseThrow();
            lease.release();
            next.release();
        }

        assertThat(meters.count("raceguard.lock.lost", "name", "checkout", "backend", "redis")).isEqualTo(1);
        assertThat(meters.count("raceguard.lock.acquired", "name", "checkout", "backend", "redis")).isEqualTo(2);
        assertThat(meters.count("raceguard.lock.held", "name", "checkout", "backend", "redis")).isEqualTo(2);
    }

    @Test
    void refusalsTimeoutsAndExtensionsAreEachCountedOnceOnRedis() throws InterruptedException {
        try (LockManager locks = RedisLocks.builder(redis.client()).keyPrefix(redis.prefix("busy"))
                .events("inventory", RaceguardMeters.of(registry)).build()) {
            try (Lease held = locks.acquire("sku:9", LeaseOptions.ttl(Duration.ofSeconds(10)))) {
                assertThat(locks.tryAcquire("sku:9", LeaseOptions.ttl(Duration.ofSeconds(1)))).isEmpty();
                assertThatThrownBy(() -> locks.acquire("sku:9",
                        LeaseOptions.ttl(Duration.ofSeconds(1)).waitUpTo(Duration.ofMillis(50))))
                        .isInstanceOf(LockTimeoutException.class);
                assertThat(held.extend(Duration.ofSeconds(20))).isTrue();
            }
        }

        assertThat(meters.count("raceguard.lock.acquired", "name", "inventory")).isEqualTo(1);
        assertThat(meters.count("raceguard.lock.refused", "name", "inventory")).isEqualTo(1);
        assertThat(meters.count("raceguard.lock.timed.out", "name", "inventory")).isEqualTo(1);
        assertThat(meters.count("raceguard.lock.extended", "name", "inventory")).isEqualTo(1);
        assertThat(meters.count("raceguard.lock.held", "name", "inventory")).isEqualTo(1);
        assertThat(meters.count("raceguard.lock.lost", "name", "inventory")).isZero();
    }
}
