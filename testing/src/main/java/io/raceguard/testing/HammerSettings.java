package io.raceguard.testing;

import static java.util.Objects.requireNonNull;

import io.raceguard.Inputs;
import java.time.Duration;
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
        return new HammerSettings(times, rounds, timeBudget, callTimeout, keepGoing, shrinkRounds, threads,
                beforeEachRound, reporter);
    }

    HammerSettings withRounds(int rounds) {
        return new HammerSettings(times, rounds, timeBudget, callTimeout, keepGoing, shrinkRounds, threads,
                beforeEachRound, reporter);
    }

    HammerSettings withTimeBudget(Duration timeBudget) {
        return new HammerSettings(times, rounds, timeBudget, callTimeout, keepGoing, shrinkRounds, threads,
                beforeEachRound, reporter);
    }

    HammerSettings withCallTimeout(Duration callTimeout) {
        return new HammerSettings(times, rounds, timeBudget, callTimeout, keepGoing, shrinkRounds, threads,
                beforeEachRound, reporter);
    }

    HammerSettings withKeepGoing(boolean keepGoing) {
        return new HammerSettings(times, rounds, timeBudget, callTimeout, keepGoing, shrinkRounds, threads,
                beforeEachRound, reporter);
    }

    HammerSettings withShrinking(int roundsPerSize) {
        if (roundsPerSize < 1) {
            throw new IllegalArgumentException("roundsPerSize must be >= 1, was " + roundsPerSize);
        }
        return withShrinkRounds(roundsPerSize);
    }

    HammerSettings withoutShrinking() {
        return withShrinkRounds(0);
    }

    private HammerSettings withShrinkRounds(int shrinkRounds) {
        return new HammerSettings(times, rounds, timeBudget, callTimeout, keepGoing, shrinkRounds, threads,
                beforeEachRound, reporter);
    }

    HammerSettings withThreads(ThreadChoice threads) {
        WorkerThreads.choose(threads); // refuse virtual threads on a JVM without them, at the line that asked
        return new HammerSettings(times, rounds, timeBudget, callTimeout, keepGoing, shrinkRounds, threads,
                beforeEachRound, reporter);
    }

    HammerSettings withBeforeEachRound(Executable beforeEachRound) {
        return new HammerSettings(times, rounds, timeBudget, callTimeout, keepGoing, shrinkRounds, threads,
                beforeEachRound, reporter);
    }

    HammerSettings withReporter(TestReporter reporter) {
        return new HammerSettings(times, rounds, timeBudget, callTimeout, keepGoing, shrinkRounds, threads,
                beforeEachRound, reporter);
    }

    private static void requireInRange(int value, int min, int max, String name) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(name + " must be between " + min + " and " + max + ", was " + value);
        }
    }
}
