package io.raceguard.limit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

final class SlidingLogTest {

    private final SlidingLog fiveEvery100Ms = new SlidingLog(5, 100);

    @Test
    void shouldAllowOnlyTheLimitInARollingWindowAcrossAnAlignedBoundary() {
        SlidingLog.State fullAtTheEndOfWindowZero = fiveEvery100Ms.decide(null, 99, 5).state();

        assertThat(fiveEvery100Ms.decide(fullAtTheEndOfWindowZero, 100, 1).decision()).isEqualTo(refused(0, 99));
        assertThat(fiveEvery100Ms.decide(fullAtTheEndOfWindowZero, 198, 5).decision()).isEqualTo(refused(0, 1));
        assertThat(fiveEvery100Ms.decide(fullAtTheEndOfWindowZero, 199, 5).decision()).isEqualTo(allowed(0));
    }

    @Test
    void shouldWaitForTheEntryThatMustLeaveForTheRequestToFit() {
        SlidingLog.State state = fiveEvery100Ms.decide(null, 10, 2).state();
        state = fiveEvery100Ms.decide(state, 40, 2).state();
        state = fiveEvery100Ms.decide(state, 70, 1).state();

        // Two permits need the two entries of time 10 gone; three need the one of time 40 too.
        assertThat(fiveEvery100Ms.decide(state, 80, 1).decision()).isEqualTo(refused(0, 30));
        assertThat(fiveEvery100Ms.decide(state, 80, 2).decision()).isEqualTo(refused(0, 30));
        assertThat(fiveEvery100Ms.decide(state, 80, 3).decision()).isEqualTo(refused(0, 60));
        assertThat(fiveEvery100Ms.decide(state, 110, 2).decision()).isEqualTo(allowed(0));
    }

    @Test
    void shouldKeepOnlyTheEntriesInsideTheWindowAndNeverMoreThanTheLimit() {
        SlidingLog.State state = null;
        for (long now = 0; now < 1_000; now += 7) {
            StateTransition<SlidingLog.State> step = fiveEvery100Ms.decide(state, now, 1);
            state = step.state();
            assertThat(state.size()).isBetween(1, 5);
        }
        assertThat(fiveEvery100Ms.decide(state, state.newest() + 100, 5).state().size()).isEqualTo(5);
    }

    @Test
    void shouldCountOnFromItsNewestEntryWhenTheClockStepsBack() {
        SlidingLog.State state = fiveEvery100Ms.decide(null, 500, 5).state();

        assertThat(fiveEvery100Ms.decide(state, 450, 1).decision()).isEqualTo(refused(0, 100));
        assertThat(fiveEvery100Ms.expiresAt(state)).isEqualTo(600);
    }

    private static RateLimitDecision allowed(long remaining) {
        return new RateLimitDecision(true, remaining, Duration.ZERO);
    }

    private static RateLimitDecision refused(long remaining, long retryAfterMillis) {
        return new RateLimitDecision(false, remaining, Duration.ofMillis(retryAfterMillis));
    }
}
