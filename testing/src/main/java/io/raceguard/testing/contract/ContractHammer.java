package io.raceguard.testing.contract;

import io.raceguard.testing.Hammer;
import java.time.Duration;
import org.junit.jupiter.api.TestReporter;

/**
 * The hammer the contract kits race backends with. Platform threads, because a store client that
 * blocks inside {@code synchronized} (a pool, a socket) pins a virtual thread's carrier on Java 21 to
 * 23, and twenty pinned callers waiting for one another could stall. A wall-time budget far beyond any
 * kit's rounds, so every round runs; the one-minute call timeout bounds a hung backend instead.
 */
final class ContractHammer {

    private static final Duration CALL_TIMEOUT = Duration.ofMinutes(1);
    private static final Duration TIME_BUDGET = Duration.ofMinutes(10);
    private static final int SHRINK_ROUNDS_PER_SIZE = 3;

    private ContractHammer() {}

    /**
     * @param calls concurrent calls per round
     * @param rounds rounds, each after the kit's reset
     * @param reporter the test's reporter, which gets each run's verdict and per-round table
     * @return the hammer
     */
    static Hammer create(int calls, int rounds, TestReporter reporter) {
        return Hammer.create().onPlatformThreads().times(calls).rounds(rounds).callTimeout(CALL_TIMEOUT)
                .within(TIME_BUDGET).shrinking(SHRINK_ROUNDS_PER_SIZE).reportingTo(reporter);
    }
}
