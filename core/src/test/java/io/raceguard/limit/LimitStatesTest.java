package io.raceguard.limit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

final class LimitStatesTest {

    private static final long WINDOW = 100;

    private final AtomicLong clockMillis = new AtomicLong();
    private final LimitStates<FixedWindow.State> states =
            new LimitStates<>(new FixedWindow(1, WINDOW), clockMillis::get);

    @Test
    void shouldDecideAReturningKeyAsNewOnceItsStateExpired() {
        assertThat(states.decide("key", 1).allowed()).isTrue();
        assertThat(states.decide("key", 1).allowed()).isFalse();

        clockMillis.addAndGet(WINDOW);

        assertThat(states.decide("key", 1).allowed()).isTrue();
        assertThat(states.trackedKeys()).isOne();
    }

    @Test
    void shouldSweepExpiredKeysAfterAsManyDecisionsAsThereWereKeys() {
        decideNewKeys("first", LimitStates.MIN_DECISIONS_BETWEEN_SWEEPS - 1);
        clockMillis.addAndGet(WINDOW);
        assertThat(states.trackedKeys()).isEqualTo(LimitStates.MIN_DECISIONS_BETWEEN_SWEEPS - 1);

        decideNewKeys("second", 1);

        assertThat(states.trackedKeys()).isOne();
    }

    @Test
    void shouldKeepKeysThatStillCount() {
        decideNewKeys("live", LimitStates.MIN_DECISIONS_BETWEEN_SWEEPS);

        assertThat(states.trackedKeys()).isEqualTo(LimitStates.MIN_DECISIONS_BETWEEN_SWEEPS);
    }

    @Test
    void shouldStayBoundedWhileEveryRequestComesFromANewKey() {
        int keysPerWindow = 3_000;
        long largest = 0;
        for (int round = 0; round < 40; round++) {
            decideNewKeys("round-" + round, keysPerWindow);
            largest = Math.max(largest, states.trackedKeys());
            clockMillis.addAndGet(WINDOW);
        }

        assertThat(largest).isLessThanOrEqualTo(2L * keysPerWindow + LimitStates.MIN_DECISIONS_BETWEEN_SWEEPS);
    }

    private void decideNewKeys(String prefix, long count) {
        for (long i = 0; i < count; i++) {
            assertThat(states.decide(prefix + ":" + i, 1).allowed()).isTrue();
        }
    }
}
