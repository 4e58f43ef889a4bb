package io.raceguard.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.raceguard.Rejection;
import io.raceguard.lock.Lease;
import io.raceguard.lock.LeaseOptions;
import io.raceguard.lock.LockManager;
import io.raceguard.redis.RedisFencedWrites;
import io.raceguard.redis.RedisLocks;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A holder whose lease expired writes after the next holder: one stale fence counted, one lost lease. */
final class MeteredRedisFencedWritesTest {

    private static SharedRedis redis;

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final MeterReadings meters = new MeterReadings(registry);

    @BeforeAll
    static void openRedis() {
        redis = SharedRedis.open(MeteredRedisFencedWritesTest.class);
    }

    @AfterAll
    static void closeRedis() {
        if (redis != null) {
            redis.close();
        }
    }

    @Test
    void aStaleFencedWriteCountsOneRefusal() throws InterruptedException {
        RaceguardMeters listener = RaceguardMeters.of(registry);
        RedisFencedWrites coupons = RedisFencedWrites.create(redis.client(), redis.prefix("fenced"))
                .withEvents("coupons", listener);
        try (LockManager locks = RedisLocks.builder(redis.client()).keyPrefix(redis.prefix("locks"))
                .events("coupons", listener).build()) {
            Lease stale = locks.acquire("coupon:SAVE20", LeaseOptions.ttl(Duration.ofMillis(100)));
            Thread.sleep(300);
            try (Lease current = locks.acquire("coupon:SAVE20", LeaseOptions.ttl(Duration.ofSeconds(5)))) {
                assertThat(coupons.write("coupon:SAVE20", current.fencingToken(), "redeemed by B").isApplied())
                        .isTrue();
                assertThat(coupons.write("coupon:SAVE20", stale.fencingToken(), "redeemed by A").rejection())
                        .isEqualTo(Rejection.STALE_FENCE);
            }
            stale.release();
        }

        assertThat(meters.count("raceguard.fence.refused", "name", "coupons", "backend", "redis")).isEqualTo(1);
        assertThat(meters.count("raceguard.lock.lost", "name", "coupons", "backend", "redis")).isEqualTo(1);
    }
}
