package io.raceguard.testing.contract;

import static org.assertj.core.api.Assertions.assertThat;

import io.raceguard.limit.InMemoryRateLimiter;
import io.raceguard.limit.RateLimit.Algorithm;
import io.raceguard.limit.RateLimit;
import io.raceguard.limit.RateLimitDecision;
import io.raceguard.limit.RateLimiter;
import io.raceguard.testing.ManualTicker;
import io.raceguard.testing.contract.RateLimiterContract;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

final class InMemoryRateLimiterTest extends RateLimiterContract {

    private static final Duration WINDOW = Duration.ofMillis(400);
    /** A multiple of every window here: windows start when the ticker reads zero. */
    private static final Instant ALIGNED = Instant.parse("2026-01-01T00:00:00Z");

    private final ManualTicker ticker = new ManualTicker();

    @Override
    protected RateLimiter rateLimiter(RateLimit policy) {
        return InMemoryRateLimiter.create(policy, ticker.wallClock(ALIGNED), ticker);
    }

    @Override
    protected void passTime(Duration duration) {
        ticker.advance(duration);
    }

    @ParameterizedTest
    @EnumSource(Algorithm.class)
    void shouldRefuseOneMillisecondBeforeTheRetryAfterAndAllowAtIt(Algorithm algorithm) {
        RateLimiter limiter = rateLimiter(new RateLimit(algorithm, 3, WINDOW));
        ticker.advance(Duration.ofMillis(130));
        assertThat(limiter.tryAcquire("key", 3).allowed()).isTrue();
        RateLimitDecision refused = limiter.tryAcquire("key", 2);
        assertThat(refused.allowed()).isFalse();

        ticker.advance(refused.retryAfter().minusMillis(1));
        assertThat(limiter.tryAcquire("key", 2).allowed()).isFalse();

        ticker.advance(Duration.ofMillis(1));
        assertThat(limiter.tryAcquire("key", 2).allowed()).isTrue();
    }

    @Test
    void shouldAlignFixedWindowsOnTheEpochAndCountInWholeMilliseconds() {
        ticker.advance(Duration.ofMillis(1_000));
        // The next epoch-aligned window starts 150 ms after the wall clock's 250 ms past a boundary.
        RateLimiter limiter = InMemoryRateLimiter.create(
                RateLimit.fixedWindow(1, WINDOW), ticker.wallClock(ALIGNED.plusMillis(250 - 1_000)), ticker);
        assertThat(limiter.tryAcquire("key").allowed()).isTrue();

        ticker.advance(Duration.ofMillis(150).minusNanos(1));
        assertThat(limiter.tryAcquire("key"))
                .isEqualTo(new RateLimitDecision(false, 0, Duration.ofMillis(1)));

        ticker.advance(Duration.ofNanos(1));
        assertThat(limiter.tryAcquire("key").allowed()).isTrue();
    }

    @Test
    void shouldReportTheSlidingWindowsExactRetryAfter() {
        RateLimiter limiter = rateLimiter(RateLimit.slidingWindow(3, WINDOW));
        assertThat(limiter.tryAcquire("key", 3).allowed()).isTrue();
        ticker.advance(WINDOW);

        // 3 * (400 - e) <= 2 * 400 from e = 133.4 on.
        assertThat(limiter.tryAcquire("key")).isEqualTo(new RateLimitDecision(false, 0, Duration.ofMillis(134)));
    }

    @Test
    void shouldReportTheTokenBucketsExactRetryAfter() {
        RateLimiter limiter = rateLimiter(RateLimit.tokenBucket(3, WINDOW));
        assertThat(limiter.tryAcquire("key", 3).allowed()).isTrue();

        // One emission interval is 400 / 3 = 133.3 ms.
        assertThat(limiter.tryAcquire("key")).isEqualTo(new RateLimitDecision(false, 0, Duration.ofMillis(134)));
    }

    @Test
    void shouldCountSeparatelyInSeparateInstances() {
        RateLimit policy = RateLimit.fixedWindow(1, WINDOW);
        assertThat(rateLimiter(policy).tryAcquire("key").allowed()).isTrue();

        assertThat(rateLimiter(policy).tryAcquire("key").allowed()).isTrue();
    }
}
