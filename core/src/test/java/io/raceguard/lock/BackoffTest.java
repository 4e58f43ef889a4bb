package io.raceguard.lock;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

final class BackoffTest {

    private static final long MILLI = 1_000_000;

    @Test
    void shouldDrawEachPauseBetweenTheMinimumAndADoublingCeiling() {
        Backoff backoff = new Backoff(2 * MILLI, 200 * MILLI);

        for (int attempt = 0; attempt < 12; attempt++) {
            long ceiling = Math.min(200 * MILLI, (2 * MILLI) << attempt);
            for (int draw = 0; draw < 200; draw++) {
                assertThat(backoff.pauseNanos(attempt, Long.MAX_VALUE)).isBetween(2 * MILLI, ceiling);
            }
        }
    }

    @Test
    void shouldNeverPauseBeyondTheRemainingWait() {
        Backoff backoff = new Backoff(2 * MILLI, 200 * MILLI);

        for (int attempt = 0; attempt < 12; attempt++) {
            assertThat(backoff.pauseNanos(attempt, MILLI / 2)).isEqualTo(MILLI / 2);
        }
    }

    @Test
    void shouldStayAtTheMaximumWithoutOverflowAfterManyAttempts() {
        long year = 365L * 24 * 3600 * 1000 * MILLI;
        Backoff backoff = new Backoff(year / 2, year);

        for (int attempt : new int[] {1, 40, 63, 64, 1000, Integer.MAX_VALUE}) {
            assertThat(backoff.pauseNanos(attempt, Long.MAX_VALUE)).isBetween(year / 2, year);
        }
    }

    @Test
    void shouldPauseExactlyTheMinimumWhenMinimumAndMaximumAgree() {
        Backoff backoff = new Backoff(5 * MILLI, 5 * MILLI);

        assertThat(backoff.pauseNanos(7, Long.MAX_VALUE)).isEqualTo(5 * MILLI);
    }
}
