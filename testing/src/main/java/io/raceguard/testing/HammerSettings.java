package io.raceguard.testing;

import static java.util.Objects.requireNonNull;

import io.raceguard.internal.Inputs;
import java.time.Duration;
import java.util.function.Consumer;
import org.junit.jupiter.api.TestReporter;
import org.junit.jupiter.api.function.Executable;

/**
 * Every option of a hammer, validated when set so that a bad value fails at the line that set it.
 *
 * @param times concurrent calls per round, 1 to {@value #MAX_TIMES}
 * @param rounds the round budget, 1 to {@value #MAX_ROUNDS}
 * @param timeBudget the wall-time budget of one run, shrinking included
 * @param callTimeout how long a round waits for its calls before it gives up on them
 * @param keepGoing whether rounds go on after a failing one, to measure the hit rate
 * @param shrinkRounds rounds per candidate when shrinking, 0 for no shrinking
 * @param threads the worker threads (in-process only)
 * @param beforeEachRound the reset hook, run before each round
 * @param reporter where reports go
 */
record HammerSettings(int times, int rounds, Duration timeBudget, Duration callTimeout, boolean keepGoing,
        int shrinkRounds, ThreadChoice threads, Executable beforeEachRound, TestReporter reporter) {

    static final int MAX_TIMES = 10_000;
    static final int MAX_ROUNDS = 1_000_000;

    static final HammerSettings DEFAULTS = new HammerSettings(20, 50, Duration.ofMinutes(1), Duration.ofSeconds(30),
            false, 20, ThreadChoice.AUTOMATIC, () -> {}, entries -> {});

    HammerSettings {
        requireInRange(times, 1, MAX_TIMES, "times");
        requireInRange(rounds, 1, MAX_ROUNDS, "rounds");
        Inputs.requirePositive(timeBudget, "timeBudget");
        Inputs.requirePositive(callTimeout, "callTimeout");
        requireInRange(shrinkRounds, 0, MAX_ROUNDS, "shrinkRounds");
        requireNonNull(threads, "threads");
        requireNonNull(beforeEachRound, "beforeEachRound");
        requireNonNull(reporter, "reporter");
    }

    HammerSettings withTimes(int times) {
        return copy(draft -> draft.times = times);
    }

    HammerSettings withRounds(int rounds) {
        return copy(draft -> draft.rounds = rounds);
    }

    HammerSettings withTimeBudget(Duration timeBudget) {
        return copy(draft -> draft.timeBudget = timeBudget);
    }

    HammerSettings withCallTimeout(Duration callTimeout) {
        return copy(draft -> draft.callTimeout = callTimeout);
    }

    HammerSettings withKeepGoing(boolean keepGoing) {
        return copy(draft -> draft.keepGoing = keepGoing);
    }

    HammerSettings withShrinking(int roundsPerSize) {
        if (roundsPerSize < 1) {
            throw new IllegalArgumentException("roundsPerSize must be >= 1, was " + roundsPerSize);
        }
        return copy(draft -> draft.shrinkRounds = roundsPerSize);
    }

    HammerSettings withoutShrinking() {
        return copy(draft -> draft.shrinkRounds = 0);
    }

    HammerSettings withThreads(ThreadChoice threads) {
        WorkerThreads.choose(threads); // refuse virtual threads on a JVM without them, at the line that asked
        return copy(draft -> draft.threads = threads);
    }

    HammerSettings withBeforeEachRound(Executable beforeEachRound) {
        return copy(draft -> draft.beforeEachRound = beforeEachRound);
    }

    HammerSettings withReporter(TestReporter reporter) {
        return copy(draft -> draft.reporter = reporter);
    }

    /** @return these settings with one change, validated like any others */
    private HammerSettings copy(Consumer<Draft> change) {
        Draft draft = new Draft(this);
        change.accept(draft);
        return new HammerSettings(draft.times, draft.rounds, draft.timeBudget, draft.callTimeout, draft.keepGoing,
                draft.shrinkRounds, draft.threads, draft.beforeEachRound, draft.reporter);
    }

    /** A mutable copy, confined to {@link #copy}. */
    private static final class Draft {
        int times;
        int rounds;
        Duration timeBudget;
        Duration callTimeout;
        boolean keepGoing;
        int shrinkRounds;
        ThreadChoice threads;
        Executable beforeEachRound;
        TestReporter reporter;

        Draft(HammerSettings settings) {
            times = settings.times;
            rounds = settings.rounds;
            timeBudget = settings.timeBudget;
            callTimeout = settings.callTimeout;
            keepGoing = settings.keepGoing;
            shrinkRounds = settings.shrinkRounds;
            threads = settings.threads;
            beforeEachRound = settings.beforeEachRound;
            reporter = settings.reporter;
        }
    }

    private static void requireInRange(int value, int min, int max, String name) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(name + " must be between " + min + " and " + max + ", was " + value);
        }
    }
}
