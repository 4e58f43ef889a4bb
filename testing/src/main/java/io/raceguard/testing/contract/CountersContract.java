package io.raceguard.testing.contract;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.raceguard.Outcome;
import io.raceguard.Rejection;
import io.raceguard.counter.Counters;
import io.raceguard.internal.Inputs;
import io.raceguard.testing.Hammer;
import io.raceguard.testing.Invariant;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestReporter;
import org.junit.jupiter.api.function.Executable;

/**
 * The contract every {@link Counters} backend keeps, written as tests: extend this class, return the
 * backend from {@link #counters()}, and JUnit runs each rule against it.
 *
 * <pre>{@code
 * final class RedisCountersTest extends CountersContract {
 *     @Override
 *     protected Counters counters() {
 *         return RedisCounters.create(client, "test:");
 *     }
 * }
 * }</pre>
 *
 * <p>Each test calls {@link #counters()} once, on first use, and works on keys of its own under a
 * random prefix, so the kit runs against a server that other tests share. After each test the kit
 * deletes every counter it touched, in an {@code @AfterEach} that JUnit runs after the subclass's own:
 * keep the backend usable until then (close clients in {@code @AfterAll}). The concurrent tests run on
 * the {@link Hammer}: 5 rounds of 20 platform threads released together behind one gate, the counter
 * reset before each round, every call waited for at most a minute; a failure reads as the hammer's
 * verdict, and each run's per-round table goes to the test's reporter.
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
public abstract class CountersContract {

    private static final int THREADS = 20;
    private static final int ROUNDS = 5;
    private static final int GENERATED_CASES = 40;

    private final ContractKeys keys = new ContractKeys();
    private final GeneratedInputs inputs = new GeneratedInputs();
    private final List<String> touchedKeys = new ArrayList<>();
    private Counters counters;

    /** For subclasses. */
    protected CountersContract() {}

    /**
     * @return the backend under test; called once per test, on first use. It may be a new instance or
     *     a shared one: the kit's keys are unique to the test.
     */
    protected abstract Counters counters();

    /**
     * Reaches the backend before the test runs, so that a backend whose server is missing skips the
     * test (its factory throws {@code TestAbortedException}, as {@code Assumptions.abort} does) instead
     * of failing it from inside an assertion or a concurrent call.
     */
    @BeforeEach
    public final void reachTheBackend() {
        backend();
    }

    /** Deletes every counter the test touched. */
    @AfterEach
    public void deleteTouchedCounters() {
        if (counters != null) {
            touchedKeys.forEach(counters::delete);
        }
    }

    /** {@code take} subtracts while the level suffices, down to exactly zero, and returns the new level. */
    @Test
    public void shouldTakeWhileTheLevelSuffices() {
        String key = key("stock");
        backend().set(key, 5);

        assertApplied(3, backend().take(key, 2));
        assertApplied(0, backend().take(key, 3));
        assertEquals(OptionalLong.of(0), backend().get(key));
    }

    /** {@code take} below zero is {@code CONDITION_FAILED} and leaves the level alone. */
    @Test
    public void shouldRefuseToTakeMoreThanTheLevel() {
        String key = key("stock");
        backend().set(key, 2);

        assertRejected(Rejection.CONDITION_FAILED, backend().take(key, 3));
        assertEquals(OptionalLong.of(2), backend().get(key));
    }

    /** {@code take} on a counter that does not exist is {@code NOT_FOUND} and creates nothing. */
    @Test
    public void shouldReportTakeOnAMissingCounterAsNotFound() {
        String key = key("never-set");

        assertRejected(Rejection.NOT_FOUND, backend().take(key, 1));
        assertEquals(OptionalLong.empty(), backend().get(key));
    }

    /** A counter taken down to zero still exists: the next {@code take} is {@code CONDITION_FAILED}. */
    @Test
    public void shouldKeepACounterThatReachedZero() {
        String key = key("last-item");
        backend().set(key, 1);

        assertApplied(0, backend().take(key, 1));

        assertRejected(Rejection.CONDITION_FAILED, backend().take(key, 1));
        assertEquals(OptionalLong.of(0), backend().get(key));
    }

    /** {@code add} on a counter that does not exist starts it at zero. */
    @Test
    public void shouldStartAMissingCounterAtZeroOnAdd() {
        String key = key("uses");

        assertApplied(3, backend().add(key, 3, 10));
        assertEquals(OptionalLong.of(3), backend().get(key));
    }

    /** {@code add} may reach its ceiling exactly but never pass it; a refusal leaves the level alone. */
    @Test
    public void shouldAddUpToTheCeilingAndNoFurther() {
        String key = key("uses");
        backend().set(key, 4);

        assertRejected(Rejection.CONDITION_FAILED, backend().add(key, 2, 5));
        assertEquals(OptionalLong.of(4), backend().get(key));
        assertApplied(5, backend().add(key, 1, 5));
        assertRejected(Rejection.CONDITION_FAILED, backend().add(key, 1, 5));
        assertEquals(OptionalLong.of(5), backend().get(key));
    }

    /** A refused {@code add} on a counter that does not exist creates nothing, not even a zero. */
    @Test
    public void shouldNotCreateACounterWhenAddIsRefused() {
        String key = key("never-created");

        assertRejected(Rejection.CONDITION_FAILED, backend().add(key, 2, 1));
        assertRejected(Rejection.CONDITION_FAILED, backend().add(key, 1, 0));
        assertEquals(OptionalLong.empty(), backend().get(key));
        assertRejected(Rejection.NOT_FOUND, backend().take(key, 1));
    }

    /** {@code add(key, 1, 1)} is a once-only claim. */
    @Test
    public void shouldClaimOnlyOnceWithACeilingOfOne() {
        String key = key("signup");

        assertApplied(1, backend().add(key, 1, 1));
        assertRejected(Rejection.CONDITION_FAILED, backend().add(key, 1, 1));
    }

    /** {@code set} creates or overwrites unconditionally, zero included. */
    @Test
    public void shouldSetTheLevelUnconditionally() {
        String key = key("balance");

        backend().set(key, 7);
        assertEquals(OptionalLong.of(7), backend().get(key));
        backend().set(key, 0);
        assertEquals(OptionalLong.of(0), backend().get(key));
        backend().set(key, 3);
        assertEquals(OptionalLong.of(3), backend().get(key));
    }

    /** {@code delete} removes the counter and reports whether it existed. */
    @Test
    public void shouldDeleteAndReportWhetherTheCounterExisted() {
        String key = key("temporary");

        assertEquals(false, backend().delete(key));
        backend().set(key, 0);
        assertEquals(true, backend().delete(key));
        assertEquals(OptionalLong.empty(), backend().get(key));
        assertEquals(false, backend().delete(key));
    }

    /**
     * 20 concurrent {@code take(1)} from a level of 5 apply exactly 5 times, each seeing its own level,
     * in each of {@value #ROUNDS} rounds.
     *
     * @param reporter gets the hammer's verdict and per-round table
     */
    @Test
    public void shouldTakeExactlyTheLevelUnderConcurrentTakes(TestReporter reporter) {
        String key = key("stock");

        hammer(reporter).beforeEachRound(() -> backend().set(key, 5))
                .fire(() -> backend().take(key, 1))
                .expect(Invariant.exactly(5, "taken", Outcome::isApplied),
                        Invariant.that("each applied take saw its own level", round ->
                                assertEquals(List.of(0L, 1L, 2L, 3L, 4L), appliedValues(round.values()))),
                        Invariant.that("the others failed their condition", round ->
                                assertEquals(THREADS - 5, count(round.values(), Rejection.CONDITION_FAILED))),
                        Invariant.that("the level ends at 0",
                                round -> assertEquals(OptionalLong.of(0), backend().get(key))));
    }

    /**
     * 20 concurrent once-only claims ({@code add(1, ceiling 1)}) apply exactly once, in each of
     * {@value #ROUNDS} rounds.
     *
     * @param reporter gets the hammer's verdict and per-round table
     */
    @Test
    public void shouldClaimExactlyOnceUnderConcurrentClaims(TestReporter reporter) {
        String key = key("signup");

        hammer(reporter).beforeEachRound(() -> backend().delete(key))
                .fire(() -> backend().add(key, 1, 1))
                .expect(Invariant.exactly(1, "claimed", Outcome::isApplied),
                        Invariant.that("the claim saw level 1", round ->
                                assertEquals(List.of(1L), appliedValues(round.values()))),
                        Invariant.that("the others failed their condition", round ->
                                assertEquals(THREADS - 1, count(round.values(), Rejection.CONDITION_FAILED))),
                        Invariant.that("the level ends at 1",
                                round -> assertEquals(OptionalLong.of(1), backend().get(key))));
    }

    /**
     * 20 concurrent {@code add(1, ceiling 5)} on a missing counter apply exactly 5 times, in each of
     * {@value #ROUNDS} rounds.
     *
     * @param reporter gets the hammer's verdict and per-round table
     */
    @Test
    public void shouldAddExactlyUpToTheCeilingUnderConcurrentAdds(TestReporter reporter) {
        String key = key("coupon-uses");

        hammer(reporter).beforeEachRound(() -> backend().delete(key))
                .fire(() -> backend().add(key, 1, 5))
                .expect(Invariant.exactly(5, "added", Outcome::isApplied),
                        Invariant.that("each applied add saw its own level", round ->
                                assertEquals(List.of(1L, 2L, 3L, 4L, 5L), appliedValues(round.values()))),
                        Invariant.that("the level ends at 5",
                                round -> assertEquals(OptionalLong.of(5), backend().get(key))));
    }

    /**
     * Null, blank, over-long (by bytes, not characters), unpaired-surrogate and NUL keys are rejected
     * by every method with {@code NullPointerException} or {@code IllegalArgumentException}, and have
     * no effect: in particular the longest valid prefix of an over-long key is not touched.
     */
    @Test
    public void shouldRejectInvalidKeysWithoutEffect() {
        String longest = touched(keys.ofUtf8Bytes("longest", Inputs.MAX_KEY_BYTES));
        backend().set(longest, 7);
        List<Executable> checks = new ArrayList<>();
        for (ContractKeys.InvalidKey invalid : keys.invalid("longest")) {
            String key = invalid.key();
            Class<? extends RuntimeException> expected = invalid.expected();
            String description = invalid.description();
            checks.add(() -> assertThrows(expected, () -> backend().take(key, 1), "take, " + description));
            checks.add(() -> assertThrows(expected, () -> backend().add(key, 1, 10), "add, " + description));
            checks.add(() -> assertThrows(expected, () -> backend().set(key, 1), "set, " + description));
            checks.add(() -> assertThrows(expected, () -> backend().get(key), "get, " + description));
            checks.add(() -> assertThrows(expected, () -> backend().delete(key), "delete, " + description));
        }
        assertAll(checks);
        assertEquals(OptionalLong.of(7), backend().get(longest), "the longest valid prefix was touched");
    }

    /**
     * {@code amount <= 0}, {@code ceiling < 0} and {@code level < 0} are rejected with
     * {@code IllegalArgumentException} before any effect, on existing and on missing counters.
     */
    @Test
    public void shouldRejectInvalidAmountsWithoutEffect() {
        String existing = key("existing");
        String missing = key("missing");
        backend().set(existing, 5);
        List<Executable> checks = new ArrayList<>();
        for (String key : List.of(existing, missing)) {
            for (long amount : new long[] {0, -1, Long.MIN_VALUE}) {
                checks.add(() -> assertIllegal(() -> backend().take(key, amount), "take " + amount));
                checks.add(() -> assertIllegal(() -> backend().add(key, amount, 10), "add " + amount));
            }
            for (long negative : new long[] {-1, Long.MIN_VALUE}) {
                checks.add(() -> assertIllegal(() -> backend().add(key, 1, negative), "ceiling " + negative));
                checks.add(() -> assertIllegal(() -> backend().set(key, negative), "set " + negative));
            }
        }
        assertAll(checks);
        assertEquals(OptionalLong.of(5), backend().get(existing));
        assertEquals(OptionalLong.empty(), backend().get(missing));
    }

    /**
     * Keys with quotes, newlines, SQL and Lua metacharacters, Redis patterns and look-alikes (case,
     * trailing space, Unicode normalization) each address their own counter.
     */
    @Test
    public void shouldKeepAwkwardKeysExactAndDistinct() {
        List<String> awkward = keys.awkward();
        awkward.forEach(this::touched);
        for (int i = 0; i < awkward.size(); i++) {
            backend().set(awkward.get(i), i);
        }

        List<Executable> checks = new ArrayList<>();
        for (int i = 0; i < awkward.size(); i++) {
            String key = awkward.get(i);
            OptionalLong expected = OptionalLong.of(i);
            checks.add(() -> assertEquals(expected, backend().get(key), () -> "key " + ContractKeys.printable(key)));
        }
        assertAll(checks);
        assertApplied(0, backend().take(awkward.get(1), 1));
        assertEquals(OptionalLong.of(2), backend().get(awkward.get(2)));
    }

    /**
     * Keys of 4 KB and of {@link Inputs#MAX_KEY_BYTES} bytes of multi-byte UTF-8 work and stay distinct
     * from a key differing only in the last character.
     */
    @Test
    public void shouldKeepLongMultiByteKeysExactAndDistinct() {
        for (int bytes : new int[] {4096, Inputs.MAX_KEY_BYTES}) {
            String key = touched(keys.ofUtf8Bytes("long", bytes));
            String twin = touched(ContractKeys.withLastCharacterChanged(key));

            backend().set(key, 11);
            assertApplied(1, backend().add(twin, 1, 1));

            assertEquals(OptionalLong.of(11), backend().get(key), bytes + " bytes");
            assertApplied(10, backend().take(key, 1));
            assertEquals(OptionalLong.of(1), backend().get(twin), bytes + " bytes, last character changed");
        }
    }

    /** Levels and amounts up to {@code Long.MAX_VALUE} are exact and never wrap around. */
    @Test
    public void shouldNeverWrapAroundAtLongMaxValue() {
        String key = key("huge");
        long max = Long.MAX_VALUE;

        assertApplied(max, backend().add(key, max, max));
        assertRejected(Rejection.CONDITION_FAILED, backend().add(key, 1, max));
        assertRejected(Rejection.CONDITION_FAILED, backend().add(key, max, max));
        assertEquals(OptionalLong.of(max), backend().get(key));
        assertApplied(max - 1, backend().take(key, 1));
        assertRejected(Rejection.CONDITION_FAILED, backend().add(key, 2, max));
        assertRejected(Rejection.CONDITION_FAILED, backend().take(key, max));
        assertApplied(max, backend().add(key, 1, max));
        assertApplied(0, backend().take(key, max));

        String other = key("huge-missing");
        assertRejected(Rejection.CONDITION_FAILED, backend().add(other, max, max - 1));
        assertEquals(OptionalLong.empty(), backend().get(other));
        backend().set(other, max);
        assertEquals(OptionalLong.of(max), backend().get(other));
    }

    /**
     * Property, over {@value #GENERATED_CASES} generated keys (empty, blank, 10 KB, control characters,
     * unpaired surrogates, Lua and SQL metacharacters, non-BMP, 4 KB of UTF-8; see
     * {@link GeneratedInputs}): a key the rules reject is refused by every method with an
     * {@code IllegalArgumentException} naming the key, and no look-alike a sloppy store could have
     * written instead (cut at the bad character, the bad character dropped or replaced, truncated)
     * exists afterwards; any other key addresses a counter of its own, whose level reads back exactly.
     */
    @Test
    public void shouldRejectOrRoundTripEveryGeneratedKey() {
        List<GeneratedInputs.GeneratedKey> generated = inputs.keys(GENERATED_CASES, keys);
        for (int i = 0; i < generated.size(); i++) {
            GeneratedInputs.GeneratedKey key = generated.get(i);
            if (key.valid()) {
                backend().set(touched(key.key()), i + 1L);
            }
        }

        List<Executable> checks = new ArrayList<>();
        for (int i = 0; i < generated.size(); i++) {
            GeneratedInputs.GeneratedKey key = generated.get(i);
            long level = i + 1L;
            checks.add(() -> GeneratedInputs.named(key.toString(),
                    key.valid() ? () -> assertRoundTrips(key, level) : () -> assertRejectedWithoutEffect(key)));
        }
        assertAll(checks);
    }

    /**
     * Property, over {@value #GENERATED_CASES} generated steps of {@code set}, {@code add} and
     * {@code take} with levels, amounts and ceilings at 0, 1, 2, -1, -2 and around
     * {@code Long.MAX_VALUE / 2}, {@code Long.MAX_VALUE} and {@code Long.MIN_VALUE}: each step is either
     * rejected with {@code IllegalArgumentException} and changes nothing, or gives exactly the outcome
     * and level of arbitrary-precision arithmetic. No level ever wraps around.
     */
    @Test
    public void shouldMatchExactArithmeticForGeneratedAmounts() {
        String key = key("generated-amounts");
        List<Long> levels = inputs.amounts(GENERATED_CASES);
        List<Long> amounts = inputs.amounts(GENERATED_CASES);
        List<Long> ceilings = inputs.amounts(GENERATED_CASES);
        List<Long> takes = inputs.amounts(GENERATED_CASES);
        AtomicReference<OptionalLong> expected = new AtomicReference<>(OptionalLong.empty());
        for (int i = 0; i < GENERATED_CASES; i++) {
            long level = levels.get(i);
            long amount = amounts.get(i);
            long ceiling = ceilings.get(i);
            long take = takes.get(i);
            GeneratedInputs.named(inputs.caseName(i) + ": set " + level + ", add " + amount + " up to " + ceiling
                    + ", take " + take, () -> expected.set(step(key, expected.get(), level, amount, ceiling, take)));
        }
    }

    /** One step of {@link #shouldMatchExactArithmeticForGeneratedAmounts}: the level expected after it. */
    private OptionalLong step(String key, OptionalLong before, long level, long amount, long ceiling, long take) {
        OptionalLong expected = before;
        if (level < 0) {
            assertIllegal(() -> backend().set(key, level), "set");
        } else {
            backend().set(key, level);
            expected = OptionalLong.of(level);
        }
        assertEquals(expected, backend().get(key), "after set");

        if (amount <= 0 || ceiling < 0) {
            assertIllegal(() -> backend().add(key, amount, ceiling), "add");
        } else {
            BigInteger sum = BigInteger.valueOf(expected.orElse(0)).add(BigInteger.valueOf(amount));
            Outcome<Long> added = backend().add(key, amount, ceiling);
            if (sum.compareTo(BigInteger.valueOf(ceiling)) <= 0) {
                assertApplied(sum.longValueExact(), added);
                expected = OptionalLong.of(sum.longValueExact());
            } else {
                assertRejected(Rejection.CONDITION_FAILED, added);
            }
        }
        assertEquals(expected, backend().get(key), "after add");

        if (take <= 0) {
            assertIllegal(() -> backend().take(key, take), "take");
        } else if (expected.isEmpty()) {
            assertRejected(Rejection.NOT_FOUND, backend().take(key, take));
        } else if (expected.getAsLong() >= take) {
            assertApplied(expected.getAsLong() - take, backend().take(key, take));
            expected = OptionalLong.of(expected.getAsLong() - take);
        } else {
            assertRejected(Rejection.CONDITION_FAILED, backend().take(key, take));
        }
        assertEquals(expected, backend().get(key), "after take");
        return expected;
    }

    private static Hammer hammer(TestReporter reporter) {
        return ContractHammer.create(THREADS, ROUNDS, reporter);
    }

    /** Synchronized: the concurrent tests make their first call from many threads at once. */
    private synchronized Counters backend() {
        if (counters == null) {
            counters = counters();
        }
        return counters;
    }

    private String key(String name) {
        return touched(keys.unique(name));
    }

    private String touched(String key) {
        touchedKeys.add(key);
        return key;
    }

    private void assertRoundTrips(GeneratedInputs.GeneratedKey key, long level) {
        String name = key.toString();
        assertEquals(OptionalLong.of(level), backend().get(key.key()), name);
        assertApplied(level + 1, backend().add(key.key(), 1, Long.MAX_VALUE));
        assertApplied(level, backend().take(key.key(), 1));
        assertEquals(true, backend().delete(key.key()), name);
        assertEquals(OptionalLong.empty(), backend().get(key.key()), name + ", after delete");
    }

    private void assertRejectedWithoutEffect(GeneratedInputs.GeneratedKey key) {
        String name = key.toString();
        String text = key.key();
        assertAll(
                () -> GeneratedInputs.assertNames("key",
                        assertThrows(IllegalArgumentException.class, () -> backend().set(text, 1), "set, " + name)),
                () -> GeneratedInputs.assertNames("key",
                        assertThrows(IllegalArgumentException.class, () -> backend().add(text, 1, 1), "add, " + name)),
                () -> GeneratedInputs.assertNames("key",
                        assertThrows(IllegalArgumentException.class, () -> backend().take(text, 1), "take, " + name)),
                () -> GeneratedInputs.assertNames("key",
                        assertThrows(IllegalArgumentException.class, () -> backend().get(text), "get, " + name)),
                () -> GeneratedInputs.assertNames("key",
                        assertThrows(IllegalArgumentException.class, () -> backend().delete(text), "delete, " + name)));
        for (String shadow : GeneratedInputs.shadows(text)) {
            assertEquals(OptionalLong.empty(), backend().get(touched(shadow)),
                    () -> name + ": a rejected key left a counter under " + ContractKeys.printable(shadow));
        }
    }

    private static void assertApplied(long expected, Outcome<Long> outcome) {
        assertEquals(Outcome.Applied.class, outcome.getClass(),
                () -> "expected Applied(" + expected + "), was " + outcome);
        assertEquals(expected, outcome.value());
    }

    private static void assertRejected(Rejection expected, Outcome<Long> outcome) {
        assertEquals(Outcome.Rejected.class, outcome.getClass(), () -> "expected " + expected + ", was " + outcome);
        assertEquals(expected, outcome.rejection(), () -> "rejected for the wrong reason: " + outcome);
    }

    private static void assertIllegal(Executable call, String what) {
        assertThrows(IllegalArgumentException.class, call, what);
    }

    private static List<Long> appliedValues(List<Outcome<Long>> outcomes) {
        return outcomes.stream().filter(Outcome::isApplied).map(Outcome::value).sorted().toList();
    }

    private static long count(List<Outcome<Long>> outcomes, Rejection rejection) {
        return outcomes.stream()
                .filter(outcome -> !outcome.isApplied() && outcome.rejection() == rejection)
                .count();
    }
}
