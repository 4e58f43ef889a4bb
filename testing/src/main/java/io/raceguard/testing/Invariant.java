package io.raceguard.testing;

import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;
import org.junit.jupiter.api.function.ThrowingSupplier;

/**
 * A rule every round of a hammer must keep: a count of results, uniqueness, a conserved sum, a
 * histogram, or the state of a database table ({@link Table}). An invariant may read state before a
 * round (after the reset hook, before the workers are released) and compare it with the state after.
 *
 * <pre>{@code
 * hammer.times(20).rounds(50)
 *       .beforeEachRound(() -> coupons.reset("SAVE20", 1))
 *       .fire(i -> coupons.redeem("SAVE20", "user-" + i))
 *       .expect(Invariant.exactly(1, "applied", Outcome::isApplied),
 *               Invariant.conserved("balance total", accounts::total));
 * }</pre>
 *
 * <p>Every call that throws, and every call still running at the call timeout, fails its round as
 * well (checked before the invariants); calls that return {@link Observed} values are also checked for
 * lost updates (after the invariants, so that the verdict names what the race broke).
 *
 * <p>The factories' invariants are immutable and thread-safe and can be reused across hammers. Their
 * count and uniqueness checks see the values of the calls that returned; calls that threw fail the
 * round on their own.
 *
 * @param <T> the type of value the calls return
 */
public interface Invariant<T> {

    /** @return what the invariant demands, for reports: {@code exactly 1 applied} */
    String description();

    /**
     * Starts one round: called after the reset hook and before the workers are released, on the
     * thread that runs the hammer. Read here whatever state the check compares against.
     *
     * @return the check to run once every call of the round has returned
     * @throws Exception if the state cannot be read; the run stops with a {@link HammerException}
     */
    Check<T> beforeRound() throws Exception;

    /**
     * The second half of an invariant: checks a finished round.
     *
     * @param <T> the type of value the calls return
     */
    @FunctionalInterface
    interface Check<T> {
        /**
         * @param round the finished round
         * @return the violation, or empty if the round kept the invariant
         * @throws Exception if the state cannot be read; the run stops with a {@link HammerException}
         */
        Optional<Violation> afterRound(Round<? extends T> round) throws Exception;
    }

    /**
     * A check written as assertions, for rules the factories do not cover.
     *
     * @param <T> the type of value the calls return
     */
    @FunctionalInterface
    interface RoundAssertion<T> {
        /**
         * @param round the finished round
         * @throws AssertionError if the round broke the rule; its message becomes the violation's
         * @throws Exception if the check could not run; the run stops with a {@link HammerException}
         */
        void check(Round<T> round) throws Exception;
    }

    /**
     * Exactly {@code n} calls return a value matching the predicate; more is labelled a double spend
     * ({@code n == 1}) or a limit overrun.
     *
     * @param n how many, at least 0
     * @param what a plural noun for the matching results, for messages: {@code applied}, {@code status 201}
     * @param matching the predicate on returned values
     * @param <T> the value type
     * @return the invariant
     * @throws IllegalArgumentException if {@code n < 0} or {@code what} is blank
     * @throws NullPointerException if an argument is null
     */
    static <T> Invariant<T> exactly(long n, String what, Predicate<? super T> matching) {
        return CountInvariant.of(CountInvariant.Bound.EXACTLY, n, what, matching);
    }

    /**
     * {@link #exactly(long, String, Predicate)} with the results called {@code matching}.
     *
     * @param n how many, at least 0
     * @param matching the predicate on returned values
     * @param <T> the value type
     * @return the invariant
     */
    static <T> Invariant<T> exactly(long n, Predicate<? super T> matching) {
        return exactly(n, CountInvariant.MATCHING, matching);
    }

    /**
     * At most {@code n} calls return a value matching the predicate; more is labelled a double spend
     * ({@code n == 1}) or a limit overrun.
     *
     * @param n how many at most, at least 0
     * @param what a plural noun for the matching results, for messages
     * @param matching the predicate on returned values
     * @param <T> the value type
     * @return the invariant
     * @throws IllegalArgumentException if {@code n < 0} or {@code what} is blank
     * @throws NullPointerException if an argument is null
     */
    static <T> Invariant<T> atMost(long n, String what, Predicate<? super T> matching) {
        return CountInvariant.of(CountInvariant.Bound.AT_MOST, n, what, matching);
    }

    /**
     * {@link #atMost(long, String, Predicate)} with the results called {@code matching}.
     *
     * @param n how many at most, at least 0
     * @param matching the predicate on returned values
     * @param <T> the value type
     * @return the invariant
     */
    static <T> Invariant<T> atMost(long n, Predicate<? super T> matching) {
        return atMost(n, CountInvariant.MATCHING, matching);
    }

    /**
     * No call returns a value matching the predicate (a server error, a negative balance).
     *
     * @param what a plural noun for the matching results, for messages: {@code status 500}
     * @param matching the predicate on returned values
     * @param <T> the value type
     * @return the invariant
     * @throws IllegalArgumentException if {@code what} is blank
     * @throws NullPointerException if an argument is null
     */
    static <T> Invariant<T> none(String what, Predicate<? super T> matching) {
        return CountInvariant.of(CountInvariant.Bound.NONE, 0, what, matching);
    }

    /**
     * {@link #none(String, Predicate)} with the results called {@code matching}.
     *
     * @param matching the predicate on returned values
     * @param <T> the value type
     * @return the invariant
     */
    static <T> Invariant<T> none(Predicate<? super T> matching) {
        return none(CountInvariant.MATCHING, matching);
    }

    /**
     * No two calls return values with the same key (an order number, a ticket); a repeat is labelled a duplicate.
     *
     * @param what what the key is, for messages: {@code order number}
     * @param by the key of a returned value; {@code null} keys count like any other
     * @param <T> the value type
     * @return the invariant
     * @throws IllegalArgumentException if {@code what} is blank
     * @throws NullPointerException if an argument is null
     */
    static <T> Invariant<T> unique(String what, Function<? super T, ?> by) {
        return UniqueInvariant.of(what, by);
    }

    /**
     * {@link #unique(String, Function)} with the key called {@code value}.
     *
     * @param by the key of a returned value
     * @param <T> the value type
     * @return the invariant
     */
    static <T> Invariant<T> unique(Function<? super T, ?> by) {
        return unique("value", by);
    }

    /**
     * A sum read before and after each round is the same (money moved between accounts is neither
     * made nor lost). The supplier runs on the hammer's thread, before the gate and after the calls.
     *
     * @param what what the sum is, for messages: {@code balance total}
     * @param read reads the sum; any {@link Number} but NaN or infinity, compared exactly as a decimal
     * @return the invariant
     * @throws IllegalArgumentException if {@code what} is blank
     * @throws NullPointerException if an argument is null
     */
    static Invariant<Object> conserved(String what, ThrowingSupplier<? extends Number> read) {
        return new ConservedSum(what, read);
    }

    /**
     * The results, grouped by a key, occur exactly as often as expected: a status histogram such as
     * {@code {201: 1, 409: 19}}. Keys missing from {@code expected} are expected zero times.
     *
     * @param what what the key is, for messages: {@code status}
     * @param by the key of a returned value
     * @param expected how often each key occurs
     * @param <T> the value type
     * @return the invariant
     * @throws IllegalArgumentException if {@code what} is blank or a count is negative
     * @throws NullPointerException if an argument, a key or a count is null
     */
    static <T> Invariant<T> histogram(String what, Function<? super T, ?> by, Map<?, Integer> expected) {
        return Histogram.of(what, by, expected);
    }

    /**
     * A rule written as assertions (AssertJ, JUnit): a round that throws an {@link AssertionError}
     * breaks it, and the violation reads {@code <description>: <the assertion's message>}.
     *
     * <pre>{@code
     * Invariant.that("each applied take sees its own level",
     *         round -> assertThat(levels(round)).containsExactly(0L, 1L, 2L, 3L, 4L))
     * }</pre>
     *
     * @param description what the rule demands, for reports
     * @param assertion asserts on a finished round
     * @param <T> the value type
     * @return the invariant
     * @throws IllegalArgumentException if {@code description} is blank
     * @throws NullPointerException if an argument is null
     */
    static <T> Invariant<T> that(String description, RoundAssertion<T> assertion) {
        return AssertingInvariant.of(description, assertion);
    }
}
