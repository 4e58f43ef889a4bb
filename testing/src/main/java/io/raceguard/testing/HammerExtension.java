package io.raceguard.testing;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import org.junit.jupiter.api.TestReporter;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives tests a {@link Hammer} parameter that reports to the test: each run publishes its verdict,
 * summary and per-round table as report entries, and a failing {@code expect} fails the test with
 * the one-line verdict.
 *
 * <pre>{@code
 * final class CouponRaceTest {
 *     @RegisterExtension
 *     static final HammerExtension HAMMER = HammerExtension.create().withTimes(20).withRounds(50);
 *
 *     @Test
 *     void shouldRedeemOnce(Hammer hammer) {
 *         hammer.beforeEachRound(() -> coupons.reset("SAVE20", 1))
 *               .fire(i -> coupons.redeem("SAVE20", "user-" + i))
 *               .expect(Invariant.exactly(1, "applied", Outcome::isApplied));
 *     }
 * }
 * }</pre>
 * Or {@code @ExtendWith(HammerExtension.class)} for the defaults (20 calls, 50 rounds within 1 minute,
 * stop at the first failure, shrink with up to 20 rounds per size, virtual threads where the JVM has them).
 *
 * <p>Immutable and thread-safe: every {@code with...} option returns a changed copy and is checked at once.
 */
public final class HammerExtension implements ParameterResolver {

    private final HammerSettings settings;

    /** The defaults, for {@code @ExtendWith(HammerExtension.class)}; prefer {@link #create()} in code. */
    public HammerExtension() {
        this(HammerSettings.DEFAULTS);
    }

    private HammerExtension(HammerSettings settings) {
        this.settings = requireNonNull(settings, "settings");
    }

    /** @return the extension with the defaults */
    public static HammerExtension create() {
        return new HammerExtension();
    }

    /**
     * @param calls concurrent calls per round, 1 to 10,000
     * @return a copy whose hammers start with that many calls
     * @throws IllegalArgumentException if {@code calls} is out of range
     */
    public HammerExtension withTimes(int calls) {
        return new HammerExtension(settings.withTimes(calls));
    }

    /**
     * @param rounds the round budget, 1 to 1,000,000
     * @return a copy whose hammers start with that budget
     * @throws IllegalArgumentException if {@code rounds} is out of range
     */
    public HammerExtension withRounds(int rounds) {
        return new HammerExtension(settings.withRounds(rounds));
    }

    /**
     * @param timeBudget the wall time a run may take, shrinking included
     * @return a copy whose hammers start with that budget
     * @throws NullPointerException if {@code timeBudget} is null
     * @throws IllegalArgumentException if it is shorter than 1 ms or longer than 365 days
     */
    public HammerExtension withTimeBudget(Duration timeBudget) {
        return new HammerExtension(settings.withTimeBudget(timeBudget));
    }

    /**
     * @param callTimeout how long a round waits for its calls
     * @return a copy whose hammers start with that timeout
     * @throws NullPointerException if {@code callTimeout} is null
     * @throws IllegalArgumentException if it is shorter than 1 ms or longer than 365 days
     */
    public HammerExtension withCallTimeout(Duration callTimeout) {
        return new HammerExtension(settings.withCallTimeout(callTimeout));
    }

    /** @return a copy whose hammers play every round even after failures, to report the hit rate */
    public HammerExtension withKeepGoing() {
        return new HammerExtension(settings.withKeepGoing(true));
    }

    /**
     * @param roundsPerSize the most rounds each smaller size is tried for while shrinking, at least 1
     * @return a copy whose hammers shrink with that effort
     * @throws IllegalArgumentException if {@code roundsPerSize} is out of range
     */
    public HammerExtension withShrinking(int roundsPerSize) {
        return new HammerExtension(settings.withShrinking(roundsPerSize));
    }

    /** @return a copy whose hammers do not shrink failures */
    public HammerExtension withoutShrinking() {
        return new HammerExtension(settings.withoutShrinking());
    }

    /**
     * @return a copy whose hammers run on virtual threads
     * @throws IllegalStateException if this JVM has no virtual threads (before Java 21)
     */
    public HammerExtension withVirtualThreads() {
        return new HammerExtension(settings.withThreads(ThreadChoice.VIRTUAL));
    }

    /** @return a copy whose hammers run on platform threads */
    public HammerExtension withPlatformThreads() {
        return new HammerExtension(settings.withThreads(ThreadChoice.PLATFORM));
    }

    /** @return a hammer with this extension's options that reports nowhere, for use outside a test */
    public Hammer hammer() {
        return Hammer.of(settings);
    }

    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return parameterContext.getParameter().getType() == Hammer.class;
    }

    /** @return a hammer with this extension's options, reporting to the test it is given to */
    @Override
    public Hammer resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        TestReporter reporter = extensionContext::publishReportEntry;
        return Hammer.of(settings.withReporter(reporter));
    }
}
