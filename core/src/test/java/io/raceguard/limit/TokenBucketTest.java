package io.raceguard.limit;

import static org.assertj.core.api.Assertions.assertThat;

import io.raceguard.limit.TokenBucket.State;
import java.time.Duration;
import org.junit.jupiter.api.Test;

final class TokenBucketTest {

    private final TokenBucket fiveEvery100Ms = new TokenBucket(5, 100);

    @Test
    void shouldAllowABurstOfTheLimitThenOnePermitPerEmissionInterval() {
        StateTransition<State> burst = fiveEvery100Ms.decide(null, 0, 5);
        assertThat(burst.decision()).isEqualTo(allowed(0));
        assertThat(burst.state()).isEqualTo(new State(100, 0));

        assertThat(fiveEvery100Ms.decide(burst.state(), 0, 1).decision()).isEqualTo(refused(0, 20));
        assertThat(fiveEvery100Ms.decide(burst.state(), 19, 1).decision()).isEqualTo(refused(0, 1));
        StateTransition<State> refilled = fiveEvery100Ms.decide(burst.state(), 20, 1);
        assertThat(refilled.decision()).isEqualTo(allowed(0));
        assertThat(refilled.state()).isEqualTo(new State(120, 0));
    }

    @Test
    void shouldAllowExactlyTheLimitInSinglePermitsWhenTheLimitDoesNotDivideTheWindow() {
        TokenBucket threeEvery100Ms = new TokenBucket(3, 100);
        State state = null;
        for (long remaining = 2; remaining >= 0; remaining--) {
            StateTransition<State> step = threeEvery100Ms.decide(state, 0, 1);
            assertThat(step.decision()).isEqualTo(allowed(remaining));
            state = step.state();
        }
        assertThat(state).isEqualTo(new State(100, 0));

        // The next permit needs 100/3 ms: 33 is not enough, 34 is.
        assertThat(threeEvery100Ms.decide(state, 0, 1).decision()).isEqualTo(refused(0, 34));
        assertThat(threeEvery100Ms.decide(state, 33, 1).decision().allowed()).isFalse();
        assertThat(threeEvery100Ms.decide(state, 34, 1).decision().allowed()).isTrue();
    }

    @Test
    void shouldKeepTheFractionOfTheArrivalTime() {
        TokenBucket threeEvery100Ms = new TokenBucket(3, 100);

        StateTransition<State> one = threeEvery100Ms.decide(null, 10, 1);

        // TAT = 10 + 100/3 = 43 + 1/3 ms.
        assertThat(one.state()).isEqualTo(new State(43, 1));
        assertThat(threeEvery100Ms.expiresAt(one.state())).isEqualTo(44);
        assertThat(threeEvery100Ms.decide(one.state(), 43, 3).decision()).isEqualTo(refused(2, 1));
        assertThat(threeEvery100Ms.decide(one.state(), 44, 3).decision()).isEqualTo(allowed(0));
    }

    @Test
    void shouldConsumeNothingWhenRefused() {
        State fourTaken = fiveEvery100Ms.decide(null, 0, 4).state();

        StateTransition<State> refused = fiveEvery100Ms.decide(fourTaken, 0, 3);

        assertThat(refused.decision()).isEqualTo(refused(1, 40));
        assertThat(refused.state()).isSameAs(fourTaken);
        assertThat(fiveEvery100Ms.decide(fourTaken, 0, 1).decision()).isEqualTo(allowed(0));
    }

    @Test
    void shouldRefillHalfTheBucketInHalfTheWindow() {
        State empty = fiveEvery100Ms.decide(null, 0, 5).state();

        assertThat(fiveEvery100Ms.decide(empty, 50, 3).decision()).isEqualTo(refused(2, 10));
        assertThat(fiveEvery100Ms.decide(empty, 50, 2).decision()).isEqualTo(allowed(0));
    }

    @Test
    void shouldNeverMakeAnyoneWaitMoreThanAWindowWhenTheClockStepsBack() {
        State farAhead = new State(500, 0);

        assertThat(fiveEvery100Ms.decide(farAhead, 300, 1).decision()).isEqualTo(refused(0, 20));
        assertThat(fiveEvery100Ms.decide(farAhead, 300, 5).decision()).isEqualTo(refused(0, 100));
    }

    @Test
    void shouldExpireOnceTheArrivalTimeHasPassed() {
        assertThat(fiveEvery100Ms.expiresAt(new State(120, 0))).isEqualTo(120);
        assertThat(fiveEvery100Ms.decide(new State(120, 0), 120, 5).decision()).isEqualTo(allowed(0));
    }

    @Test
    void shouldStayExactAtTheLargestPolicy() {
        long window = 1000;
        long limit = RateLimit.MAX_LIMIT_TIMES_WINDOW_MILLIS / window;
        TokenBucket largest = new TokenBucket(limit, window);

        StateTransition<State> all = largest.decide(null, 1_700_000_000_000L, limit);

        assertThat(all.decision()).isEqualTo(allowed(0));
        assertThat(all.state()).isEqualTo(new State(1_700_000_001_000L, 0));
        assertThat(largest.decide(all.state(), 1_700_000_000_000L, limit).decision())
                .isEqualTo(refused(0, 1000));
        assertThat(largest.decide(all.state(), 1_700_000_000_000L, 1).decision()).isEqualTo(refused(0, 1));
    }

    private static RateLimitDecision allowed(long remaining) {
        return new RateLimitDecision(true, remaining, Duration.ZERO);
    }

    private static RateLimitDecision refused(long remaining, long retryAfterMillis) {
        return new RateLimitDecision(false, remaining, Duration.ofMillis(retryAfterMillis));
    }
}
