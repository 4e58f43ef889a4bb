package io.raceguard.testing;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import org.junit.jupiter.api.TestReporter;
import org.junit.jupiter.api.function.Executable;

/**
 * The options every hammer shares, in-process and HTTP: how many calls per round, the round and time
 * budgets, whether to keep going after a failure, shrinking, the reset hook and where reports go.
 * Each option returns a changed copy and is checked at once.
 *
 * <p>Immutable and thread-safe.
 *
 * @param <S> the hammer type the options return
 */
public abstract class AbstractHammer<S extends AbstractHammer<S>> {

    final HammerSettings settings;

    AbstractHammer(HammerSettings settings) {
        this.settings = requireNonNull(settings, "settings");
    }

    abstract S with(HammerSettings settings);

    /**
     * @param calls how many calls each round releases together, 1 to 10,000 (default 20)
     * @return a copy with that many calls per round
     * @throws IllegalArgumentException if {@code calls} is out of range
     */
    public S times(int calls) {
        return with(settings.withTimes(calls));
    }

    /**
     * @param rounds the round budget, 1 to 1,000,000 (default 50)
     * @return a copy with that budget
     * @throws IllegalArgumentException if {@code rounds} is out of range
     */
    public S rounds(int rounds) {
        return with(settings.withRounds(rounds));
    }

    /**
     * @param timeBudget the wall time a run may take, shrinking included (default 1 minute); the round in
     *     progress always finishes, so a run may overrun it by one round
     * @return a copy with that budget
     * @throws NullPointerException if {@code timeBudget} is null
     * @throws IllegalArgumentException if it is shorter than 1 ms or longer than 365 days
     */
    public S within(Duration timeBudget) {
        return with(settings.withTimeBudget(timeBudget));
    }

    /**
     * @param callTimeout how long a round waits for its calls (default 30 s); calls still running then
     *     are interrupted and fail the round, and the run stops
     * @return a copy with that timeout
     * @throws NullPointerException if {@code callTimeout} is null
     * @throws IllegalArgumentException if it is shorter than 1 ms or longer than 365 days
     */
    public S callTimeout(Duration callTimeout) {
        return with(settings.withCallTimeout(callTimeout));
    }

    /** @return a copy that plays every round of the budget even after failures, to report the hit rate */
    public S keepGoing() {
        return with(settings.withKeepGoing(true));
    }

    /**
     * @param roundsPerSize the most rounds each smaller number of calls is tried for while shrinking a
     *     failure, 1 to 1,000,000 (default 20)
     * @return a copy that shrinks with that effort
     * @throws IllegalArgumentException if {@code roundsPerSize} is out of range
     */
    public S shrinking(int roundsPerSize) {
        return with(settings.withShrinking(roundsPerSize));
    }

    /** @return a copy that reports a failure at the number of calls it happened with, without shrinking */
    public S withoutShrinking() {
        return with(settings.withoutShrinking());
    }

    /**
     * @param reset runs before every round, shrinking's included, on the thread that runs the hammer:
     *     put the state back (stock to 5, the coupon unused); if it throws, the run stops with a
     *     {@link HammerException}
     * @return a copy with that hook, replacing any earlier one
     * @throws NullPointerException if {@code reset} is null
     */
    public S beforeEachRound(Executable reset) {
        return with(settings.withBeforeEachRound(reset));
    }

    /**
     * @param reporter where each run publishes its verdict, summary and per-round table, e.g. the
     *     {@link TestReporter} JUnit passes to a test; a hammer from {@link HammerExtension} already
     *     reports to its test
     * @return a copy reporting there
     * @throws NullPointerException if {@code reporter} is null
     */
    public S reportingTo(TestReporter reporter) {
        return with(settings.withReporter(reporter));
    }
}
