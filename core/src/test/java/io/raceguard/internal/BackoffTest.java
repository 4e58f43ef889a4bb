package io.raceguard.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;

import org.junit.jupiter.api.Test;

final class BackoffTest {

    private static final long MILLI = 1_000_000;

    @Test
    void shouldDrawEachPauseBetweenTheMinimumAndADoublingCeiling() {
        Backoff backoff = new Backoff(Duration.ofNanos(2 * MILLI), Duration.ofNanos(200 * MILLI));

        for (int attempt = 0; attempt < 12; attempt++) {
            long ceiling = Math.min(200 * MILLI, (2 * MILLI) << attempt);
            long longest = 0;
            for (int draw = 0; draw < 200; draw++) {
                long pause = backoff.pauseNanos(attempt, Long.MAX_VALUE);
                assertThat(pause).isBetween(2 * MILLI, ceiling);
                longest = Math.max(longest, pause);
            }
            if (attempt > 0) {
                // 200 uniform draws all staying under the previous ceiling would be astronomically unlikely
                assertThat(longest).as("longest pause of attempt %d", attempt).isGreaterThan(ceiling / 2);
            }
        }
    }

    @Test
    void shouldNeverPauseBeyondTheRemainingWait() {
        Backoff backoff = new Backoff(Duration.ofNanos(2 * MILLI), Duration.ofNanos(200 * MILLI));

        for (int attempt = 0; attempt < 12; attempt++) {
            assertThat(backoff.pauseNanos(attempt, MILLI / 2)).isEqualTo(MILLI / 2);
        }
    }

    @Test
    void shouldStayAtTheMaximumWithoutOverflowAfterManyAttempts() {
        long year = 365L * 24 * 3600 * 1000 * MILLI;
        Backoff backoff = new Backoff(Duration.ofNanos(year / 2), Duration.ofNanos(year));

        for (int attempt : new int[] {1, 40, 63, 64, 1000, Integer.MAX_VALUE}) {
            assertThat(backoff.pauseNanos(attempt, Long.MAX_VALUE)).isBetween(year / 2, year);
        }
    }

    @Test
    void shouldPauseExactlyTheMinimumWhenMinimumAndMaximumAgree() {
        Backoff backoff = new Backoff(Duration.ofNanos(5 * MILLI), Duration.ofNanos(5 * MILLI));

        assertThat(backoff.pauseNanos(7, Long.MAX_VALUE)).isEqualTo(5 * MILLI);
    }

    @Test
    void shouldRejectAMaximumBelowTheMinimumNamingBoth() {
        assertThatThrownBy(() -> new Backoff(Duration.ofMillis(5), Duration.ofMillis(1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("max must be >= min (PT0.005S), was PT0.001S");
        assertThatThrownBy(() -> new Backoff(Duration.ZERO, Duration.ofMillis(1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("min must be positive");
        assertThatThrownBy(() -> new Backoff(null, Duration.ofMillis(1)))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("min");
    }
}
