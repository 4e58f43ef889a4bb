package io.raceguard.internal;

import static io.raceguard.internal.Inputs.requireKey;
import static io.raceguard.internal.Inputs.requireNonNegative;
import static io.raceguard.internal.Inputs.requirePositive;

import io.raceguard.Outcome;
import io.raceguard.Rejection;
import java.util.function.LongFunction;

/**
 * What every {@link io.raceguard.counter.Counters} backend checks before any I/O, and the refusals it
 * answers with, so that one call is refused alike, in the same words, in memory, in a database and in
 * Redis. The atomic step itself (a {@code compute}, an SQL statement, a Lua script) stays in each
 * backend.
 *
 * <p>Stateless and thread-safe; the refusals are immutable and shared by every call.
 */
public final class CounterRules {

    private static final Outcome<Long> NOT_FOUND = Outcome.rejected(Rejection.NOT_FOUND, "no such counter");
    private static final Outcome<Long> BELOW_AMOUNT =
            Outcome.rejected(Rejection.CONDITION_FAILED, "level below amount");
    private static final Outcome<Long> CEILING_PASSED =
            Outcome.rejected(Rejection.CONDITION_FAILED, "ceiling would be passed");

    private CounterRules() {}

    /**
     * Checks a {@code take}.
     *
     * @param key the counter
     * @param amount how much to take
     * @throws NullPointerException if {@code key} is null
     * @throws IllegalArgumentException if the key is invalid or {@code amount <= 0}
     */
    public static void requireTake(String key, long amount) {
        requireKey(key, "key");
        requirePositive(amount, "amount");
    }

    /**
     * Checks an {@code add}, then runs the backend's atomic step unless no level can take the amount.
     * Levels are never negative, so an amount above the ceiling is refused here, without a round trip
     * and without creating the counter. The step receives the highest level that still fits,
     * {@code ceiling - amount}, computed here where it cannot overflow, so that no backend ever adds
     * before it compares.
     *
     * @param key the counter
     * @param amount how much to add
     * @param ceiling the highest level allowed
     * @param step the backend's atomic step, given the highest level that fits ({@code >= 0})
     * @return the step's outcome, or {@link #ceilingPassed()} if no level fits
     * @throws NullPointerException if {@code key} is null
     * @throws IllegalArgumentException if the key is invalid, {@code amount <= 0} or {@code ceiling < 0}
     */
    public static Outcome<Long> add(String key, long amount, long ceiling, LongFunction<Outcome<Long>> step) {
        long highestLevelThatFits = requireAdd(key, amount, ceiling);
        return highestLevelThatFits < 0 ? CEILING_PASSED : step.apply(highestLevelThatFits);
    }

    /**
     * Checks an {@code add} for a backend that runs its step in this JVM and must not allocate a step:
     * the same rule as {@link #add}, with the caller refusing every level above the returned one.
     *
     * @param key the counter
     * @param amount how much to add
     * @param ceiling the highest level allowed
     * @return {@code ceiling - amount}, the highest level that still fits; negative when none does
     * @throws NullPointerException if {@code key} is null
     * @throws IllegalArgumentException if the key is invalid, {@code amount <= 0} or {@code ceiling < 0}
     */
    public static long requireAdd(String key, long amount, long ceiling) {
        requireKey(key, "key");
        requirePositive(amount, "amount");
        requireNonNegative(ceiling, "ceiling");
        return ceiling - amount;
    }

    /**
     * Checks a {@code set}.
     *
     * @param key the counter
     * @param level the new level
     * @throws NullPointerException if {@code key} is null
     * @throws IllegalArgumentException if the key is invalid or {@code level < 0}
     */
    public static void requireSet(String key, long level) {
        requireKey(key, "key");
        requireNonNegative(level, "level");
    }

    /**
     * Checks the key of a {@code get} or {@code delete}.
     *
     * @param key the counter
     * @throws NullPointerException if {@code key} is null
     * @throws IllegalArgumentException if the key is invalid
     */
    public static void requireCounterKey(String key) {
        requireKey(key, "key");
    }

    /**
     * @param found whether the counter exists
     * @return the refusal of a {@code take}: {@code CONDITION_FAILED} if the counter exists (its level
     *     is below the amount), {@code NOT_FOUND} if not
     */
    public static Outcome<Long> takeRefused(boolean found) {
        return found ? BELOW_AMOUNT : NOT_FOUND;
    }

    /** @return the refusal of an {@code add} whose amount would take the level past the ceiling */
    public static Outcome<Long> ceilingPassed() {
        return CEILING_PASSED;
    }
}
