package io.raceguard.limit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

final class InMemoryRateLimiterAlignmentTest {

    private static final Duration WINDOW = Duration.ofMillis(100);

    private final AtomicLong nanos = new AtomicLong(-7_000_000_123L);

    @Test
    void shouldAlignWindowsOnTheEpochNotOnTheTickersOrigin() {
        // Created 30 ms before an epoch-aligned boundary of the 100 ms windows, whatever the ticker reads.
        InstantSource wallClock = InstantSource.fixed(Instant.ofEpochMilli(1_700_000_000_070L));
        RateLimiter limiter = InMemoryRateLimiter.create(RateLimit.fixedWindow(1, WINDOW), wallClock, nanos::get);

        assertThat(limiter.tryAcquire("key").allowed()).isTrue();
        RateLimitDecision refused = limiter.tryAcquire("key");
        assertThat(refused.retryAfter()).isEqualTo(Duration.ofMillis(30));

        advance(Duration.ofMillis(29));
        assertThat(limiter.tryAcquire("key").allowed()).isFalse();
        advance(Duration.ofMillis(1));
        assertThat(limiter.tryAcquire("key").allowed()).isTrue();
    }

    @Test
    void shouldReadTheWallClockOnlyOnceSoThatDecisionsNeverGoBack() {
        AtomicLong wallMillis = new AtomicLong(1_700_000_000_000L);
        InstantSource steppedWallClock = () -> Instant.ofEpochMilli(wallMillis.getAndAdd(-3_600_000));
        RateLimiter limiter =
                InMemoryRateLimiter.create(RateLimit.fixedWindow(1, WINDOW), steppedWallClock, nanos::get);

        assertThat(limiter.tryAcquire("key").allowed()).isTrue();
        assertThat(limiter.tryAcquire("key").retryAfter()).isEqualTo(WINDOW);
    }

    private void advance(Duration duration) {
        nanos.addAndGet(duration.toNanos());
    }
}
