package io.raceguard.testing.contract;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raceguard.internal.Inputs;
import io.raceguard.limit.RateLimit.Algorithm;
import io.raceguard.limit.RateLimit;
import io.raceguard.limit.RateLimitDecision;
import io.raceguard.limit.RateLimiter;
import io.raceguard.testing.Hammer;
import io.raceguard.testing.Invariant;
import io.raceguard.testing.ManualTicker;
import io.raceguard.testing.Round;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestReporter;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.function.ThrowingConsumer;

/**
 * The contract every {@link RateLimiter} backend keeps, written as tests: extend this class, return a
 * limiter for a policy from {@link #rateLimiter(RateLimit)}, and JUnit runs each rule against it, for
 * each {@linkplain Algorithm algorithm} where the rule applies to all of them.
 *
 * <pre>{@code
 * final class RedisRateLimiterTest extends RateLimiterContract {
 *     @Override
 *     protected RateLimiter rateLimiter(RateLimit policy) {
 *         return RedisRateLimiter.create(client, policy, "test:");
 *     }
 * }
 * }</pre>
 *
 * <p><b>Time.</b> Tests that never wait use windows of an hour, so that no window boundary and no
 * refill falls inside them. Tests that wait use windows of 400 ms and call {@link #passTime}, which
 * sleeps by default, so a backend on a server's clock (Redis {@code TIME}, SQL {@code now()}) runs the
 * kit as it is; a backend on an injected clock overrides it to move that clock instead, and then every
 * step is exact. The waiting tests first wait for the start of a window, learned from a fixed-window
 * refusal's {@code retryAfter}, and assert only what holds however late each call runs, so long as
 * each step between two waits takes less than 80 ms (a fifth of the window). An attempt that failed
 * while a step ran over that budget (a loaded machine) proves nothing, so it is run again on fresh
 * keys, up to four times; a failure within the budget is reported at once. The test of concurrent
 * bursts on either side of a boundary uses a window of 3 s, so that each burst, however slow the
 * machine, finishes on its side.
 *
 * <p><b>Isolation.</b> Every test uses keys of its own under a random prefix, so the kit runs against
 * a server other tests share. A limiter has no delete, so a store keeps the states the kit leaves until
 * they expire: within two of the longest window, two hours.
 *
 * <p><b>Concurrency.</b> The burst test runs on the {@link Hammer}: 3 rounds, each on a fresh key, of
 * 20 platform threads released together behind one gate; a failure reads as the hammer's verdict, and
 * each run's per-round table goes to the test's reporter. The rolling-window test fires two such
 * bursts, one late in a window and one just after the boundary, at a fixed window (which must grant
 * twice the limit, showing the boundary is real) and at a sliding log (which must grant the limit).
 *
 * <p>JUnit creates one instance per test; an instance is not shared between threads except by the
 * kit's own concurrent tests.
 *
 * <p><b>Bad input</b> is checked property-style too: keys, amounts and durations generated from a fixed
 * seed (empty, blank, 10 KB, control characters, unpaired surrogates, Lua and SQL metacharacters,
 * non-BMP, {@code Long} and {@code Duration} extremes), each either rejected before any effect or
 * round-tripped exactly. A failure names its seed; {@code -Draceguard.inputs.seed=<seed>} replays it
 * or tries another.
 */
public abstract class RateLimiterContract {

    private static final long LIMIT = 5;
    private static final int THREADS = 20;
    private static final int ROUNDS = 3;
    private static final int GENERATED_KEYS = 16;
    private static final Duration LONG_WINDOW = Duration.ofHours(1);
    private static final Duration SHORT_WINDOW = Duration.ofMillis(400);
    private static final Duration BURST_WINDOW = Duration.ofSeconds(3);
    private static final Duration SHORT_EMISSION_INTERVAL = SHORT_WINDOW.dividedBy(LIMIT);

    private static final Duration STEP_BUDGET = SHORT_WINDOW.dividedBy(5);
    private static final int ON_TIME_ATTEMPTS = 4;

    private final ContractKeys keys = new ContractKeys();
    private final GeneratedInputs inputs = new GeneratedInputs();
    private long stepStartedAt;
    private long longestStepNanos;
    private int attempt;

    /** For subclasses. */
    protected RateLimiterContract() {}

    /**
     * @param policy the policy to enforce
     * @return a limiter of the backend under test; a test may ask for several, each with its own policy
     */
    protected abstract RateLimiter rateLimiter(RateLimit policy);

    /**
     * Lets {@code duration} pass on the backend's clock. By default sleeps: right for backends on a real
     * clock. Override it to advance the clock of a backend on an injected one (for example a
     * {@link ManualTicker}).
     *
     * @param duration how long, positive
     * @throws InterruptedException if interrupted while sleeping
     */
    protected void passTime(Duration duration) throws InterruptedException {
        Thread.sleep(duration.toMillis(), (int) (duration.toNanos() % 1_000_000));
    }

    /**
     * Reaches the backend before the test runs, so that a backend whose server is missing skips the
     * test (its factory throws {@code TestAbortedException}, as {@code Assumptions.abort} does) instead
     * of failing it from inside an assertion or a concurrent call.
     */
    @BeforeEach
    public final void reachTheBackend() {
        rateLimiter(RateLimit.fixedWindow(LIMIT, LONG_WINDOW));
    }

    /** A limiter reports the policy it enforces. */
    @Test
    public void shouldReportItsPolicy() {
        RateLimit policy = RateLimit.slidingWindow(LIMIT, LONG_WINDOW);

        assertEquals(policy, rateLimiter(policy).limit());
    }

    /**
     * 20 concurrent single-permit requests on a limit of 5 get exactly 5 permits, each its own
     * remaining, in each of {@value #ROUNDS} rounds on a fresh key.
     *
     * @param reporter gets the hammer's verdict and per-round table
     * @return one test per algorithm
     */
    @TestFactory
    public Stream<DynamicTest> shouldGrantExactlyTheLimitToConcurrentRequests(TestReporter reporter) {
        return forEachAlgorithm(algorithm -> {
            RateLimiter limiter = rateLimiter(new RateLimit(algorithm, LIMIT, LONG_WINDOW));
            AtomicReference<String> key = new AtomicReference<>();

            ContractHammer.create(THREADS, ROUNDS, reporter)
                    .beforeEachRound(() -> key.set(keys.unique(algorithm + ":burst:" + UUID.randomUUID())))
                    .fire(() -> limiter.tryAcquire(key.get()))
                    .expect(Invariant.exactly(LIMIT, "allowed", RateLimitDecision::allowed),
                            Invariant.that("each allowed request saw its own remaining", round -> assertEquals(
                                    List.of(0L, 1L, 2L, 3L, 4L), round.values().stream()
                                            .filter(RateLimitDecision::allowed)
                                            .map(RateLimitDecision::remaining)
                                            .sorted()
                                            .collect(Collectors.toList()))),
                            Invariant.that("each refused request has no remaining and a retry-after", round ->
                                    round.values().stream()
                                            .filter(decision -> !decision.allowed())
                                            .forEach(decision -> assertRefused(0, longestWait(algorithm, LONG_WINDOW),
                                                    decision))));
        });
    }

    /**
     * Single permits count remaining down to 0; the next is refused with remaining 0 and a retry-after.
     *
     * @return one test per algorithm
     */
    @TestFactory
    public Stream<DynamicTest> shouldCountDownThenRefuseWithARetryAfter() {
        return forEachAlgorithm(algorithm -> {
            RateLimiter limiter = rateLimiter(new RateLimit(algorithm, LIMIT, LONG_WINDOW));
            String key = keys.unique(algorithm + ":count-down");

            for (long remaining = LIMIT - 1; remaining >= 0; remaining--) {
                assertAllowed(remaining, limiter.tryAcquire(key));
            }

            assertRefused(0, longestWait(algorithm, LONG_WINDOW), limiter.tryAcquire(key));
        });
    }

    /**
     * Permits are granted all or none: a refused request takes nothing, and what is left stays usable.
     *
     * @return one test per algorithm
     */
    @TestFactory
    public Stream<DynamicTest> shouldGrantPermitsAllOrNone() {
        return forEachAlgorithm(algorithm -> {
            RateLimiter limiter = rateLimiter(new RateLimit(algorithm, LIMIT, LONG_WINDOW));
            String key = keys.unique(algorithm + ":all-or-none");

            assertAllowed(3, limiter.tryAcquire(key, 2));
            assertRefused(3, longestWait(algorithm, LONG_WINDOW), limiter.tryAcquire(key, 4));
            assertRefused(3, longestWait(algorithm, LONG_WINDOW), limiter.tryAcquire(key, LIMIT));
            assertAllowed(0, limiter.tryAcquire(key, 3));
            assertAllowed(0, rateLimiter(new RateLimit(algorithm, LIMIT, LONG_WINDOW)).tryAcquire(
                    keys.unique(algorithm + ":whole-limit"), LIMIT));
        });
    }

    /**
     * However often a request is refused, it is allowed once its first retry-after has passed: refusals
     * neither consume permits nor push the wait back.
     *
     * @return one test per algorithm
     */
    @TestFactory
    public Stream<DynamicTest> shouldAllowARefusedRequestOnceItsRetryAfterHasPassed() {
        return forEachAlgorithm(algorithm -> onTime(() -> {
            passTimeToWindowStart(SHORT_WINDOW);
            RateLimiter limiter = rateLimiter(new RateLimit(algorithm, LIMIT, SHORT_WINDOW));
            String key = attemptKey(algorithm + ":retry-after");
            assertAllowed(3, limiter.tryAcquire(key, 2));

            RateLimitDecision first = limiter.tryAcquire(key, 4);
            assertRefused(3, longestWait(algorithm, SHORT_WINDOW), first);
            for (int i = 0; i < 10; i++) {
                RateLimitDecision again = limiter.tryAcquire(key, 4);
                assertFalse(again.allowed(), "refused again");
                assertTrue(again.retryAfter().compareTo(first.retryAfter()) <= 0,
                        () -> "a refusal pushed the wait from " + first.retryAfter() + " to " + again.retryAfter());
            }
            waitFor(first.retryAfter());

            assertTrue(limiter.tryAcquire(key, 4).allowed(), "allowed after its retry-after");
        }));
    }

    /**
     * Each key has its own budget.
     *
     * @return one test per algorithm
     */
    @TestFactory
    public Stream<DynamicTest> shouldKeepKeysIndependent() {
        return forEachAlgorithm(algorithm -> {
            RateLimiter limiter = rateLimiter(new RateLimit(algorithm, LIMIT, LONG_WINDOW));
            String spent = keys.unique(algorithm + ":spent");

            assertAllowed(0, limiter.tryAcquire(spent, LIMIT));

            assertAllowed(LIMIT - 1, limiter.tryAcquire(keys.unique(algorithm + ":fresh")));
            assertRefused(0, longestWait(algorithm, LONG_WINDOW), limiter.tryAcquire(spent));
        });
    }

    /**
     * Null, blank, over-long (by bytes, not characters), unpaired-surrogate and NUL keys are rejected
     * with {@code NullPointerException} or {@code IllegalArgumentException} and have no effect: the
     * longest valid prefix of an over-long key keeps its whole budget.
     *
     * @return one test per algorithm
     */
    @TestFactory
    public Stream<DynamicTest> shouldRejectInvalidKeysWithoutEffect() {
        return forEachAlgorithm(algorithm -> {
            RateLimiter limiter = rateLimiter(new RateLimit(algorithm, LIMIT, LONG_WINDOW));
            List<Executable> checks = new ArrayList<>();
            String longest = keys.ofUtf8Bytes(algorithm + ":longest", Inputs.MAX_KEY_BYTES);
            for (ContractKeys.InvalidKey invalid : keys.invalid(algorithm + ":longest")) {
                checks.add(() -> assertThrows(
                        invalid.expected(), () -> limiter.tryAcquire(invalid.key()), invalid.description()));
                checks.add(() -> assertThrows(
                        invalid.expected(), () -> limiter.tryAcquire(invalid.key(), 1), invalid.description()));
            }
            assertAll(checks);

            assertAllowed(0, limiter.tryAcquire(longest, LIMIT));
        });
    }

    /**
     * Permits outside {@code 1..limit} are rejected with {@code IllegalArgumentException} and take nothing.
     *
     * @return one test per algorithm
     */
    @TestFactory
    public Stream<DynamicTest> shouldRejectPermitsOutOfRangeWithoutEffect() {
        return forEachAlgorithm(algorithm -> {
            RateLimiter limiter = rateLimiter(new RateLimit(algorithm, LIMIT, LONG_WINDOW));
            String key = keys.unique(algorithm + ":permits");
            assertAllowed(3, limiter.tryAcquire(key, 2));
            List<Executable> checks = new ArrayList<>();
            for (long permits : new long[] {0, -1, LIMIT + 1, Long.MAX_VALUE, Long.MIN_VALUE}) {
                checks.add(() -> assertThrows(
                        IllegalArgumentException.class, () -> limiter.tryAcquire(key, permits), "permits " + permits));
            }
            assertAll(checks);

            assertAllowed(0, limiter.tryAcquire(key, 3));
        });
    }

    /**
     * Keys with quotes, newlines, SQL and Lua metacharacters, Redis patterns and look-alikes (case,
     * trailing space, Unicode normalization) each have their own budget.
     *
     * @return one test per algorithm
     */
    @TestFactory
    public Stream<DynamicTest> shouldKeepAwkwardKeysExactAndDistinct() {
        return forEachAlgorithm(algorithm -> {
            List<String> awkward = keys.awkward().stream().map(key -> algorithm + key).toList();
            long limit = awkward.size() + 1L;
            RateLimiter limiter = rateLimiter(new RateLimit(algorithm, limit, LONG_WINDOW));
            for (int i = 0; i < awkward.size(); i++) {
                assertAllowed(limit - i - 1, limiter.tryAcquire(awkward.get(i), i + 1));
            }

            List<Executable> checks = new ArrayList<>();
            for (int i = 0; i < awkward.size(); i++) {
                String key = awkward.get(i);
                long remaining = limit - i - 2;
                checks.add(() -> assertEquals(
                        remaining, limiter.tryAcquire(key).remaining(), () -> "key " + ContractKeys.printable(key)));
            }
            assertAll(checks);
        });
    }

    /**
     * Property, over {@value #GENERATED_KEYS} generated keys (see {@link GeneratedInputs}): a key the
     * rules reject is refused with an {@code IllegalArgumentException} naming the key, and every
     * look-alike a sloppy store could have charged instead keeps its whole budget; any other key has a
     * budget of its own, charged exactly.
     *
     * @return one test per algorithm
     */
    @TestFactory
    public Stream<DynamicTest> shouldRejectOrRoundTripEveryGeneratedKey() {
        return forEachAlgorithm(algorithm -> {
            RateLimiter limiter = rateLimiter(new RateLimit(algorithm, LIMIT, LONG_WINDOW));
            for (GeneratedInputs.GeneratedKey generated : inputs.keys(GENERATED_KEYS, new ContractKeys())) {
                GeneratedInputs.named(generated.toString(), () -> {
                    String key = generated.key();
                    if (generated.valid()) {
                        assertAllowed(LIMIT - 2, limiter.tryAcquire(key, 2));
                        assertAllowed(LIMIT - 3, limiter.tryAcquire(key));
                    } else {
                        GeneratedInputs.assertNames("key",
                                assertThrows(IllegalArgumentException.class, () -> limiter.tryAcquire(key)));
                        GeneratedInputs.assertNames("key",
                                assertThrows(IllegalArgumentException.class, () -> limiter.tryAcquire(key, 2)));
                        GeneratedInputs.shadows(key)
                                .forEach(shadow -> assertAllowed(LIMIT - 1, limiter.tryAcquire(shadow)));
                    }
                });
            }
        });
    }

    /**
     * Property, over generated windows (zero, negative, sub-millisecond, a millisecond and a half,
     * huge, the shortest and longest accepted; see {@link GeneratedInputs#durations}): a window that is
     * not a whole number of milliseconds from 1 ms to {@link Inputs#MAX_DURATION} is refused with an
     * {@code IllegalArgumentException} naming it; any other makes a policy, and a limiter that reports
     * it; up to the kit's longest window, an hour, its first permit on a fresh key is granted (a longer
     * one is not charged: its state would outlive the two hours the kit promises a shared store).
     *
     * @return one test per algorithm
     */
    @TestFactory
    public Stream<DynamicTest> shouldRejectOrHonourEveryGeneratedWindow() {
        return forEachAlgorithm(algorithm -> {
            List<Duration> windows = inputs.durations();
            for (int i = 0; i < windows.size(); i++) {
                Duration window = windows.get(i);
                GeneratedInputs.named(inputs.caseName(i) + ": " + window, () -> {
                    if (GeneratedInputs.isValidPositive(window) && window.toNanos() % 1_000_000 == 0) {
                        RateLimit policy = new RateLimit(algorithm, 1, window);
                        RateLimiter limiter = rateLimiter(policy);
                        assertEquals(policy, limiter.limit());
                        if (window.compareTo(LONG_WINDOW) <= 0) {
                            assertAllowed(0, limiter.tryAcquire(keys.unique(algorithm + ":window:"
                                    + UUID.randomUUID())));
                        }
                    } else {
                        GeneratedInputs.assertNames("window", assertThrows(IllegalArgumentException.class,
                                () -> new RateLimit(algorithm, 1, window)));
                    }
                });
            }
        });
    }

    /**
     * Keys of 4 KB and of {@link Inputs#MAX_KEY_BYTES} bytes of multi-byte UTF-8 work and stay distinct
     * from a key differing only in the last character.
     *
     * @return one test per algorithm
     */
    @TestFactory
    public Stream<DynamicTest> shouldKeepLongMultiByteKeysExactAndDistinct() {
        return forEachAlgorithm(algorithm -> {
            RateLimiter limiter = rateLimiter(new RateLimit(algorithm, LIMIT, LONG_WINDOW));
            for (int bytes : new int[] {4096, Inputs.MAX_KEY_BYTES}) {
                String key = keys.ofUtf8Bytes(algorithm + ":long", bytes);
                String twin = ContractKeys.withLastCharacterChanged(key);

                assertAllowed(0, limiter.tryAcquire(key, LIMIT));

                assertAllowed(LIMIT - 1, limiter.tryAcquire(twin));
                assertRefused(0, longestWait(algorithm, LONG_WINDOW), limiter.tryAcquire(key));
            }
        });
    }

    /**
     * The largest policy ({@code limit * window = 2^53} ms; a sliding log's largest limit) is exact: the
     * whole limit at once, then a refusal; permits up to {@code Long.MAX_VALUE} are rejected, never wrapped.
     *
     * @return one test per algorithm
     */
    @TestFactory
    public Stream<DynamicTest> shouldStayExactAtTheLargestPolicy() {
        return forEachAlgorithm(algorithm -> {
            long limit = algorithm == Algorithm.SLIDING_LOG
                    ? RateLimit.MAX_SLIDING_LOG_LIMIT
                    : RateLimit.MAX_LIMIT_TIMES_WINDOW_MILLIS / LONG_WINDOW.toMillis();
            RateLimiter limiter = rateLimiter(new RateLimit(algorithm, limit, LONG_WINDOW));
            String key = keys.unique(algorithm + ":largest");

            assertAllowed(0, limiter.tryAcquire(key, limit));
            RateLimitDecision refused = limiter.tryAcquire(key, limit);
            assertFalse(refused.allowed(), "the whole limit again");
            assertTrue(refused.remaining() < limit, () -> "remaining " + refused.remaining());
            assertTrue(isPositiveAndAtMost(longestWait(algorithm, LONG_WINDOW), refused.retryAfter()),
                    () -> "retry-after " + refused.retryAfter());
            assertThrows(IllegalArgumentException.class, () -> limiter.tryAcquire(key, limit + 1));
            assertThrows(IllegalArgumentException.class, () -> limiter.tryAcquire(key, Long.MAX_VALUE));

            assertAllowed(1, limiter.tryAcquire(keys.unique(algorithm + ":largest-but-one"), limit - 1));
        });
    }

    /**
     * Fixed window: the limit, then refusals until the next aligned window, which starts with the whole
     * limit again (the boundary burst a fixed window allows).
     *
     * @throws Throwable a failed rule, or an interrupt while waiting
     */
    @Test
    public void shouldStartAFreshFixedWindowAtTheBoundary() throws Throwable {
        onTime(() -> {
            passTimeToWindowStart(SHORT_WINDOW);
            RateLimiter limiter = rateLimiter(RateLimit.fixedWindow(LIMIT, SHORT_WINDOW));
            String key = attemptKey("fixed:boundary");
            for (long remaining = LIMIT - 1; remaining >= 0; remaining--) {
                assertAllowed(remaining, limiter.tryAcquire(key));
            }
            RateLimitDecision refused = limiter.tryAcquire(key);
            assertRefused(0, SHORT_WINDOW, refused);

            waitFor(refused.retryAfter());

            assertAllowed(0, limiter.tryAcquire(key, LIMIT));
        });
    }

    /**
     * Sliding window: right after a full window the previous window still weighs fully, then slides
     * out one emission interval ({@code window / limit}) per permit; the whole limit comes back only
     * once the full window is two windows back.
     *
     * @throws Throwable a failed rule, or an interrupt while waiting
     */
    @Test
    public void shouldWeighThePreviousWindowInTheSlidingWindow() throws Throwable {
        onTime(() -> {
            passTimeToWindowStart(SHORT_WINDOW);
            RateLimiter limiter = rateLimiter(RateLimit.slidingWindow(LIMIT, SHORT_WINDOW));
            String key = attemptKey("sliding:weight");
            assertAllowed(0, limiter.tryAcquire(key, LIMIT));
            waitFor(SHORT_WINDOW);

            RateLimitDecision refused = limiter.tryAcquire(key);
            assertRefused(0, SHORT_EMISSION_INTERVAL, refused);
            waitFor(refused.retryAfter());

            assertTrue(limiter.tryAcquire(key).allowed(), "one permit once a fifth of the previous window slid out");
            assertFalse(limiter.tryAcquire(key, LIMIT).allowed(), "the whole limit while the previous window weighs");
            waitFor(SHORT_WINDOW.multipliedBy(2));
            assertAllowed(0, limiter.tryAcquire(key, LIMIT));
        });
    }

    /**
     * Token bucket: a burst of the whole limit, then one permit per emission interval
     * ({@code window / limit}), and the whole limit again after a full window.
     *
     * @throws Throwable a failed rule, or an interrupt while waiting
     */
    @Test
    public void shouldRefillTheTokenBucketEvenly() throws Throwable {
        onTime(() -> {
            RateLimiter limiter = rateLimiter(RateLimit.tokenBucket(LIMIT, SHORT_WINDOW));
            String key = attemptKey("bucket:refill");
            assertAllowed(0, limiter.tryAcquire(key, LIMIT));

            RateLimitDecision refused = limiter.tryAcquire(key);
            assertRefused(0, SHORT_EMISSION_INTERVAL, refused);
            waitFor(refused.retryAfter());

            assertTrue(limiter.tryAcquire(key).allowed(), "one permit after one emission interval");
            assertFalse(limiter.tryAcquire(key).allowed(), "only one permit per emission interval");
            waitFor(SHORT_WINDOW);
            assertAllowed(0, limiter.tryAcquire(key, LIMIT));
        });
    }

    /**
     * The limit at the end of one aligned window and the limit again just after the boundary: a fixed
     * window grants both (twice the limit within much less than a window), a sliding log only the first,
     * and the second once its retry-after, when the oldest entry leaves the window, has passed.
     *
     * @throws Throwable a failed rule, or an interrupt while waiting
     */
    @Test
    public void shouldHoldTheSlidingLogToTheLimitInARollingWindowAcrossABoundary() throws Throwable {
        onTime(() -> {
            FixedAndLog limiters =
                    lateInAWindow(SHORT_WINDOW, SHORT_WINDOW.minus(STEP_BUDGET.multipliedBy(5).dividedBy(4)));
            RateLimiter fixed = limiters.fixed();
            RateLimiter log = limiters.log();
            String fixedKey = limiters.fixedKey();
            String logKey = limiters.logKey();
            assertAllowed(0, fixed.tryAcquire(fixedKey, LIMIT));
            assertAllowed(0, log.tryAcquire(logKey, LIMIT));
            RateLimitDecision fixedRefused = fixed.tryAcquire(fixedKey);
            assertRefused(0, STEP_BUDGET.multipliedBy(2), fixedRefused);
            waitFor(fixedRefused.retryAfter());

            assertAllowed(0, fixed.tryAcquire(fixedKey, LIMIT));
            RateLimitDecision logRefused = log.tryAcquire(logKey);
            assertRefused(0, SHORT_WINDOW, logRefused);
            waitFor(logRefused.retryAfter());
            assertAllowed(0, log.tryAcquire(logKey, LIMIT));
        });
    }

    /**
     * Two concurrent bursts of 20 requests, one late in a window and one just after the boundary, each
     * request asking a fixed window and a sliding log for a permit: the fixed window grants the limit on
     * each side (twice the limit within a rolling window: the boundary burst is real), the sliding log
     * the limit in all. On a window of {@link #BURST_WINDOW}, so that each burst has time to finish on
     * its side of the boundary.
     *
     * @param reporter gets the hammer's verdicts and per-round tables
     * @throws Throwable a failed rule, or an interrupt while waiting
     */
    @Test
    public void shouldHoldConcurrentBurstsOnEitherSideOfABoundaryToTheLimitInASlidingLog(TestReporter reporter)
            throws Throwable {
        onTime(() -> {
            FixedAndLog limiters = lateInAWindow(BURST_WINDOW, BURST_WINDOW.multipliedBy(2).dividedBy(3));
            List<Long> late = allowedInABurst(limiters, reporter);
            RateLimitDecision fixedRefused = limiters.fixed().tryAcquire(limiters.fixedKey());
            assertFalse(fixedRefused.allowed(), "the fixed window is spent");
            waitFor(fixedRefused.retryAfter());

            List<Long> early = allowedInABurst(limiters, reporter);

            assertEquals(List.of(LIMIT, LIMIT), List.of(late.get(0), early.get(0)),
                    "fixed window: the limit on each side");
            assertEquals(List.of(LIMIT, 0L), List.of(late.get(1), early.get(1)), "sliding log: the limit in all");
        });
    }

    /** A fixed window and a sliding log of the same limit and window, each with a key of its own. */
    private record FixedAndLog(RateLimiter fixed, String fixedKey, RateLimiter log, String logKey) {}

    /** @return the two limiters on {@code window}, {@code into} after the start of a window of theirs */
    private FixedAndLog lateInAWindow(Duration window, Duration into) throws InterruptedException {
        passTimeToWindowStart(window);
        FixedAndLog limiters = new FixedAndLog(
                rateLimiter(RateLimit.fixedWindow(LIMIT, window)), attemptKey("fixed:boundary:" + UUID.randomUUID()),
                rateLimiter(RateLimit.slidingLog(LIMIT, window)), attemptKey("log:boundary:" + UUID.randomUUID()));
        waitFor(into);
        return limiters;
    }

    /** @return how many of a burst's requests each limiter allowed: the fixed window's, then the log's */
    private static List<Long> allowedInABurst(FixedAndLog limiters, TestReporter reporter) {
        Round<boolean[]> round = ContractHammer.create(THREADS, 1, reporter)
                .fire(() -> new boolean[] {
                    limiters.fixed().tryAcquire(limiters.fixedKey()).allowed(),
                    limiters.log().tryAcquire(limiters.logKey()).allowed()})
                .expect()
                .rounds()
                .get(0)
                .round();
        return List.of(round.count(allowed -> allowed[0]), round.count(allowed -> allowed[1]));
    }

    /**
     * Waits until a window of {@code window} has just begun on the backend's clock. Every algorithm
     * aligns windows on {@code floor(now / window)}, so a fixed-window refusal's retry-after is the time
     * to the next start; a second permit allowed means a window started between the two calls.
     */
    private void passTimeToWindowStart(Duration window) throws InterruptedException {
        RateLimiter probe = rateLimiter(RateLimit.fixedWindow(1, window));
        String key = keys.unique("window-start:" + UUID.randomUUID());
        assertTrue(probe.tryAcquire(key).allowed(), "a fresh key's first permit");
        RateLimitDecision second = probe.tryAcquire(key);
        if (!second.allowed()) {
            waitFor(second.retryAfter());
        }
    }

    /**
     * Runs a scenario on the short window, whose assertions hold only if every step between two waits
     * takes less than {@link #STEP_BUDGET}. An attempt that failed while a step ran over the budget (a
     * loaded machine, a slow store) proves nothing either way, so it is run again on fresh keys, up to
     * {@link #ON_TIME_ATTEMPTS} times; a failure on an attempt that kept to the budget, or on the last
     * attempt, is reported as it is.
     */
    private void onTime(Executable scenario) throws Throwable {
        for (attempt = 1; ; attempt++) {
            stepStartedAt = System.nanoTime();
            longestStepNanos = 0;
            try {
                scenario.execute();
                return;
            } catch (AssertionError failure) {
                endStep();
                if (longestStepNanos < STEP_BUDGET.toNanos() || attempt == ON_TIME_ATTEMPTS) {
                    throw failure;
                }
            }
        }
    }

    /** A key of this attempt of an {@link #onTime} scenario: a retried attempt never sees an earlier one's state. */
    private String attemptKey(String name) {
        return keys.unique(name + ":attempt-" + attempt);
    }

    /** Lets time pass between two steps of an {@link #onTime} scenario, timing the step that ends here. */
    private void waitFor(Duration duration) throws InterruptedException {
        endStep();
        passTime(duration);
        stepStartedAt = System.nanoTime();
    }

    private void endStep() {
        longestStepNanos = Math.max(longestStepNanos, System.nanoTime() - stepStartedAt);
    }

    private static Stream<DynamicTest> forEachAlgorithm(ThrowingConsumer<Algorithm> test) {
        return DynamicTest.stream(Stream.of(Algorithm.values()), Algorithm::name, test);
    }

    /**
     * The longest retry-after an algorithm may give: a window, except for the sliding window, where a
     * full current window must become the previous one and then slide out.
     */
    private static Duration longestWait(Algorithm algorithm, Duration window) {
        return algorithm == Algorithm.SLIDING_WINDOW ? window.multipliedBy(2) : window;
    }

    private static void assertAllowed(long remaining, RateLimitDecision decision) {
        assertEquals(new RateLimitDecision(true, remaining, Duration.ZERO), decision);
    }

    private static void assertRefused(long remaining, Duration longestWait, RateLimitDecision decision) {
        assertFalse(decision.allowed(), () -> "expected a refusal, was " + decision);
        assertEquals(remaining, decision.remaining(), () -> "remaining of " + decision);
        assertTrue(isPositiveAndAtMost(longestWait, decision.retryAfter()),
                () -> "retry-after must be positive and at most " + longestWait + ": " + decision);
    }

    private static boolean isPositiveAndAtMost(Duration longest, Duration duration) {
        return duration.compareTo(Duration.ZERO) > 0 && duration.compareTo(longest) <= 0;
    }
}
