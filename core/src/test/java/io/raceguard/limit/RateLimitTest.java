package io.raceguard.limit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import java.time.Duration;
import org.junit.jupiter.api.Test;

final class RateLimitTest {

    @Test
    void shouldAcceptTheLargestLimitWhoseProductWithTheWindowIsTwoToTheFiftyThird() {
        RateLimit policy = RateLimit.tokenBucket(1L << 43, Duration.ofMillis(1024));

        assertThat(policy.limit() * policy.windowMillis()).isEqualTo(RateLimit.MAX_LIMIT_TIMES_WINDOW_MILLIS);
        assertThat(RateLimit.MAX_LIMIT_TIMES_WINDOW_MILLIS).isEqualTo(9_007_199_254_740_992L);
    }

    @Test
    void shouldRefuseALimitWhoseProductWithTheWindowPassesTwoToTheFiftyThird() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> RateLimit.fixedWindow((1L << 43) + 1, Duration.ofMillis(1024)))
                .withMessageContaining("limit must be at most 8796093022208");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> RateLimit.slidingWindow(Long.MAX_VALUE, Duration.ofMillis(1)));
    }

    @Test
    void shouldBoundASlidingLogToItsLargestLimitWhateverTheWindow() {
        assertThat(RateLimit.slidingLog(RateLimit.MAX_SLIDING_LOG_LIMIT, Duration.ofMillis(1)).limit())
                .isEqualTo(10_000);
        assertThatIllegalArgumentException()
                .isThrownBy(() -> RateLimit.slidingLog(RateLimit.MAX_SLIDING_LOG_LIMIT + 1, Duration.ofSeconds(1)))
                .withMessageContaining("limit must be at most 10000 for a sliding log, was 10001");
    }

    @Test
    void shouldRefuseAWindowThatIsNotAWholeNumberOfMilliseconds() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> RateLimit.fixedWindow(5, Duration.ofNanos(1_500_000)))
                .withMessageContaining("whole number of milliseconds");
        assertThatIllegalArgumentException().isThrownBy(() -> RateLimit.fixedWindow(5, Duration.ofNanos(999_999)));
    }

    @Test
    void shouldRefuseANonPositiveLimitOrAnOutOfRangeWindow() {
        assertThatIllegalArgumentException().isThrownBy(() -> RateLimit.fixedWindow(0, Duration.ofSeconds(1)));
        assertThatIllegalArgumentException().isThrownBy(() -> RateLimit.fixedWindow(-1, Duration.ofSeconds(1)));
        assertThatIllegalArgumentException().isThrownBy(() -> RateLimit.fixedWindow(1, Duration.ZERO));
        assertThatIllegalArgumentException().isThrownBy(() -> RateLimit.fixedWindow(1, Duration.ofDays(366)));
        assertThatNullPointerException().isThrownBy(() -> RateLimit.fixedWindow(1, null));
        assertThatNullPointerException().isThrownBy(() -> new RateLimit(null, 1, Duration.ofSeconds(1)));
    }
}
