package io.raceguard.limit;

import static org.assertj.core.api.Assertions.assertThat;

import io.raceguard.limit.FixedWindow.State;
import java.time.Duration;
import org.junit.jupiter.api.Test;

final class FixedWindowTest {

    private final FixedWindow fiveEvery100Ms = new FixedWindow(5, 100);

    @Test
    void shouldCountDownTheRemainingPermitsThenRefuseUntilTheNextAlignedWindow() {
        State state = null;
        for (long remaining = 4; remaining >= 0; remaining--) {
            StateTransition<State> step = fiveEvery100Ms.decide(state, 130, 1);
            assertThat(step.decision()).isEqualTo(new RateLimitDecision(true, remaining, Duration.ZERO));
            state = step.state();
        }

        StateTransition<State> refused = fiveEvery100Ms.decide(state, 130, 1);

        assertThat(refused.decision()).isEqualTo(new RateLimitDecision(false, 0, Duration.ofMillis(70)));
        assertThat(refused.state()).isSameAs(state);
        assertThat(fiveEvery100Ms.decide(state, 199, 1).decision().allowed()).isFalse();
        assertThat(fiveEvery100Ms.decide(state, 200, 5).decision()).isEqualTo(allowed(0));
    }

    @Test
    void shouldConsumeNothingWhenRefused() {
        State three = fiveEvery100Ms.decide(null, 0, 3).state();

        StateTransition<State> refused = fiveEvery100Ms.decide(three, 10, 3);

        assertThat(refused.decision()).isEqualTo(new RateLimitDecision(false, 2, Duration.ofMillis(90)));
        assertThat(refused.state()).isEqualTo(new State(0, 3));
        assertThat(fiveEvery100Ms.decide(refused.state(), 10, 2).decision()).isEqualTo(allowed(0));
    }

    @Test
    void shouldAlignWindowsBelowZeroTheSameWay() {
        State full = fiveEvery100Ms.decide(null, -1, 5).state();

        assertThat(full).isEqualTo(new State(-1, 5));
        assertThat(fiveEvery100Ms.decide(full, -100, 1).decision())
                .isEqualTo(new RateLimitDecision(false, 0, Duration.ofMillis(100)));
        assertThat(fiveEvery100Ms.decide(full, -1, 1).decision().retryAfter()).isEqualTo(Duration.ofMillis(1));
        assertThat(fiveEvery100Ms.decide(full, 0, 1).decision()).isEqualTo(allowed(4));
        assertThat(fiveEvery100Ms.expiresAt(full)).isZero();
    }

    @Test
    void shouldKeepCountingInTheLatestWindowWhenTheClockStepsBack() {
        State full = fiveEvery100Ms.decide(null, 550, 5).state();

        assertThat(fiveEvery100Ms.decide(full, 420, 1).decision())
                .isEqualTo(new RateLimitDecision(false, 0, Duration.ofMillis(100)));
        State two = fiveEvery100Ms.decide(null, 550, 2).state();
        StateTransition<State> stepBack = fiveEvery100Ms.decide(two, 420, 1);
        assertThat(stepBack.decision()).isEqualTo(allowed(2));
        assertThat(stepBack.state()).isEqualTo(new State(5, 3));
    }

    @Test
    void shouldExpireAtTheEndOfTheWindowThatCounted() {
        assertThat(fiveEvery100Ms.expiresAt(new State(3, 5))).isEqualTo(400);
    }

    @Test
    void shouldStayExactAtTheLargestPolicy() {
        long limit = RateLimit.MAX_LIMIT_TIMES_WINDOW_MILLIS;
        FixedWindow largest = new FixedWindow(limit, 1);

        StateTransition<State> all = largest.decide(null, 7, limit);

        assertThat(all.decision()).isEqualTo(allowed(0));
        assertThat(largest.decide(all.state(), 7, 1).decision())
                .isEqualTo(new RateLimitDecision(false, 0, Duration.ofMillis(1)));
        assertThat(largest.decide(all.state(), 8, limit).decision()).isEqualTo(allowed(0));
    }

    private static RateLimitDecision allowed(long remaining) {
        return new RateLimitDecision(true, remaining, Duration.ZERO);
    }
}
