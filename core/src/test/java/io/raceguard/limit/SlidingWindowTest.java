package io.raceguard.limit;

import static org.assertj.core.api.Assertions.assertThat;

import io.raceguard.limit.SlidingWindow.State;
import java.time.Duration;
import org.junit.jupiter.api.Test;

final class SlidingWindowTest {

    private final SlidingWindow fiveEvery100Ms = new SlidingWindow(5, 100);
    private final State fullFirstWindow = new State(0, 5, 0);

    @Test
    void shouldWeighTheWholePreviousWindowAtTheStartOfTheNext() {
        assertThat(fiveEvery100Ms.decide(fullFirstWindow, 100, 1).decision())
                .isEqualTo(refused(0, 20));
    }

    @Test
    void shouldAllowOnceThePreviousWindowHasSlidOutByOneEmissionExactly() {
        // 5 * (100 - 19) = 405 > (5 - 1) * 100: refused one millisecond before.
        assertThat(fiveEvery100Ms.decide(fullFirstWindow, 119, 1).decision()).isEqualTo(refused(0, 1));

        StateTransition<State> allowed = fiveEvery100Ms.decide(fullFirstWindow, 120, 1);

        assertThat(allowed.decision()).isEqualTo(allowed(0));
        assertThat(allowed.state()).isEqualTo(new State(1, 1, 5));
    }

    @Test
    void shouldRoundRemainingDownFromTheExactEstimate() {
        // Estimate after: 1 + 5 * 50 / 100 = 3.5, so 1.5 left, reported as 1.
        assertThat(fiveEvery100Ms.decide(fullFirstWindow, 150, 1).decision()).isEqualTo(allowed(1));
    }

    @Test
    void shouldWaitIntoTheNextWindowWhenTheCurrentOneAloneIsFull() {
        // Refused at 50; in the next window the 5 weigh 5 * (100 - e) / 100 and one more fits from e = 20.
        assertThat(fiveEvery100Ms.decide(fullFirstWindow, 50, 1).decision()).isEqualTo(refused(0, 70));
        // All five fit only once the full window is two windows back.
        assertThat(fiveEvery100Ms.decide(fullFirstWindow, 50, 5).decision()).isEqualTo(refused(0, 150));
        assertThat(fiveEvery100Ms.decide(fullFirstWindow, 199, 5).decision().allowed()).isFalse();
        assertThat(fiveEvery100Ms.decide(fullFirstWindow, 200, 5).decision()).isEqualTo(allowed(0));
    }

    @Test
    void shouldCompareExactlyWhenTheLimitDoesNotDivideTheWindow() {
        SlidingWindow threeEvery100Ms = new SlidingWindow(3, 100);
        State full = new State(0, 3, 0);

        // One more fits once 3 * (100 - e) <= 200, that is from e = 33.34: from 134 on.
        assertThat(threeEvery100Ms.decide(full, 100, 1).decision()).isEqualTo(refused(0, 34));
        assertThat(threeEvery100Ms.decide(full, 133, 1).decision()).isEqualTo(refused(0, 1));
        assertThat(threeEvery100Ms.decide(full, 134, 1).decision()).isEqualTo(allowed(0));
    }

    @Test
    void shouldConsumeNothingWhenRefused() {
        State state = new State(1, 2, 4);

        StateTransition<State> refused = fiveEvery100Ms.decide(state, 150, 2);

        // 2 + 4 * 50 / 100 = 4: one left, two asked.
        assertThat(refused.decision()).isEqualTo(refused(1, 25));
        assertThat(refused.state()).isSameAs(state);
        assertThat(fiveEvery100Ms.decide(state, 150, 1).decision()).isEqualTo(allowed(0));
    }

    @Test
    void shouldForgetWindowsOlderThanThePreviousOne() {
        assertThat(fiveEvery100Ms.decide(fullFirstWindow, 200, 5).state()).isEqualTo(new State(2, 5, 0));
        assertThat(fiveEvery100Ms.expiresAt(fullFirstWindow)).isEqualTo(200);
    }

    @Test
    void shouldKeepCountingInTheLatestWindowWhenTheClockStepsBack() {
        State state = new State(3, 5, 0);

        assertThat(fiveEvery100Ms.decide(state, 120, 1).decision()).isEqualTo(refused(0, 120));
    }

    @Test
    void shouldAlignWindowsBelowZeroTheSameWay() {
        State state = new State(-1, 5, 0);

        assertThat(fiveEvery100Ms.decide(state, -50, 1).decision()).isEqualTo(refused(0, 70));
        assertThat(fiveEvery100Ms.decide(state, 20, 1).decision()).isEqualTo(allowed(0));
    }

    @Test
    void shouldStayExactAtTheLargestPolicy() {
        long window = 1000;
        long limit = RateLimit.MAX_LIMIT_TIMES_WINDOW_MILLIS / window;
        SlidingWindow largest = new SlidingWindow(limit, window);
        State full = largest.decide(null, 0, limit).state();

        assertThat(largest.decide(full, 1000, 1).decision()).isEqualTo(refused(0, 1));
        StateTransition<State> oneMore = largest.decide(full, 1001, 1);
        assertThat(oneMore.decision().allowed()).isTrue();
        assertThat(largest.decide(oneMore.state(), 1001, limit).decision().allowed()).isFalse();
    }

    private static RateLimitDecision allowed(long remaining) {
        return new RateLimitDecision(true, remaining, Duration.ZERO);
    }

    private static RateLimitDecision refused(long remaining, long retryAfterMillis) {
        return new RateLimitDecision(false, remaining, Duration.ofMillis(retryAfterMillis));
    }
}
