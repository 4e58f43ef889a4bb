package io.raceguard.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.raceguard.event.Instrumented;
import io.raceguard.limit.InMemoryRateLimiter;
import io.raceguard.limit.RateLimit;
import io.raceguard.limit.RateLimiter;
import io.raceguard.lock.InMemoryLocks;
import io.raceguard.lock.LeaseOptions;
import io.raceguard.lock.LockManager;
import io.raceguard.testing.ManualTicker;
import java.time.Duration;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** A key reaches a tag only through the user's own function, and only as one of a bounded set of names. */
final class KeyNamesTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final MeterReadings meters = new MeterReadings(registry);

    @Test
    void locksAreCountedUnderTheNameTheUsersFunctionGivesTheirKey() {
        try (LockManager locks = InMemoryLocks.builder(new ManualTicker())
                .events(key -> key.substring(0, key.indexOf(':')), RaceguardMeters.of(registry)).build()) {
            locks.tryAcquire("order:1", LeaseOptions.ttl(Duration.ofSeconds(5))).orElseThrow().release();
            locks.tryAcquire("order:2", LeaseOptions.ttl(Duration.ofSeconds(5))).orElseThrow().release();
            locks.tryAcquire("cart:9", LeaseOptions.ttl(Duration.ofSeconds(5))).orElseThrow();
            assertThat(locks.tryAcquire("cart:9", LeaseOptions.ttl(Duration.ofSeconds(5)))).isEmpty();
        }

        assertThat(meters.count("raceguard.lock.acquired", "name", "order")).isEqualTo(2);
        assertThat(meters.count("raceguard.lock.held", "name", "order")).isEqualTo(2);
        assertThat(meters.count("raceguard.lock.acquired", "name", "cart")).isEqualTo(1);
        assertThat(meters.count("raceguard.lock.refused", "name", "cart")).isEqualTo(1);
    }

    @Test
    void aFunctionThatLeaksKeysIsCappedAndOneThatFailsLeavesTheLimiterWorking() {
        RateLimiter leaky = Instrumented.rateLimiter(InMemoryRateLimiter.create(RateLimit.fixedWindow(1,
                Duration.ofMinutes(1))), key -> key.replace(':', '-'), RaceguardMeters.of(registry));
        RateLimiter failing = Instrumented.rateLimiter(InMemoryRateLimiter.create(RateLimit.fixedWindow(1,
                Duration.ofMinutes(1))), key -> "no spaces allowed", RaceguardMeters.of(registry));

        for (int user = 0; user < 250; user++) {
            assertThat(leaky.tryAcquire("user:" + user).allowed()).isTrue();
        }
        assertThat(failing.tryAcquire("user:1").allowed()).isTrue();
        assertThat(failing.tryAcquire("user:1").allowed()).isFalse();

        Set<String> names = registry.getMeters().stream()
                .map(meter -> meter.getId().getTag("name")).collect(Collectors.toSet());
        assertThat(names).hasSize(101).contains("other").doesNotContain("no spaces allowed");
        assertThat(meters.count("raceguard.ratelimit.decisions", "name", "other", "outcome", "allowed"))
                .isEqualTo(150);
        assertThat(registry.getMeters()).extracting(Meter::getId).allSatisfy(id ->
                assertThat(id.getTag("name")).doesNotContain(":"));
    }
}
