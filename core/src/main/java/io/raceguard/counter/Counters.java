package io.raceguard.counter;

import io.raceguard.Outcome;
import java.util.OptionalLong;

/**
 * Bounded counters: a level per key that moves only when a condition holds, checked and written in
 * one atomic step. This is the check-then-act of stock, balances, coupon uses and one-time claims
 * done right.
 *
 * <pre>{@code
 * counters.set("stock:99", 1);
 * counters.take("stock:99", 1);                   // applies only if the level is >= 1
 * counters.add("coupon:SAVE20:used", 1, 5);       // applies only if level + 1 <= 5
 * counters.add("signup:alice@example.com", 1, 1); // a once-only claim
 * }</pre>
 *
 * <p><b>Atomicity.</b> Each method is a single atomic step in every backend (one conditional
 * statement, one Lua script, one {@code compute}); there is never a read followed by a write.
 * Concurrent calls on one key are linearizable: 20 concurrent {@code take(key, 1)} on a level of 5
 * apply exactly 5 times.
 *
 * <p><b>Levels</b> are never negative and never overflow: {@link #take} refuses to go below zero and
 * {@link #add} refuses to pass its ceiling, so no arithmetic can wrap.
 *
 * <p><b>Failure model.</b> A rejection is an {@link Outcome} value. A store fault is thrown as a
 * {@link io.raceguard.BackendException}; when one is thrown the step may or may not have applied
 * (the reply was lost), so callers that must know re-read the level with {@link #get}.
 *
 * <p>Implementations are thread-safe. Keys follow {@link io.raceguard.internal.Inputs#requireKey}; bad input
 * is rejected with an exception before any effect.
 */
public interface Counters {

    /**
     * Subtracts {@code amount} if the current level is at least {@code amount}.
     *
     * @param key the counter
     * @param amount how much to take, {@code > 0}
     * @return {@code Applied(newLevel)}; {@code Rejected(CONDITION_FAILED)} if the level is below
     *     {@code amount}; {@code Rejected(NOT_FOUND)} if the counter does not exist
     * @throws NullPointerException if {@code key} is null
     * @throws IllegalArgumentException if the key is invalid or {@code amount <= 0}
     */
    Outcome<Long> take(String key, long amount);

    /**
     * Adds {@code amount} if the result stays at or below {@code ceiling}. A counter that does not
     * exist starts at zero, so {@code add(key, 1, 1)} is a once-only claim.
     *
     * @param key the counter
     * @param amount how much to add, {@code > 0}
     * @param ceiling the highest level allowed, {@code >= 0}
     * @return {@code Applied(newLevel)}, or {@code Rejected(CONDITION_FAILED)} if the level would
     *     pass the ceiling
     * @throws NullPointerException if {@code key} is null
     * @throws IllegalArgumentException if the key is invalid, {@code amount <= 0} or {@code ceiling < 0}
     */
    Outcome<Long> add(String key, long amount, long ceiling);

    /**
     * Sets the level unconditionally, creating the counter if needed (to stock a product, open a
     * balance, reset a quota).
     *
     * @param key the counter
     * @param level the new level, {@code >= 0}
     * @throws IllegalArgumentException if the key is invalid or {@code level < 0}
     */
    void set(String key, long level);

    /**
     * @param key the counter
     * @return the current level, or empty if the counter does not exist
     * @throws IllegalArgumentException if the key is invalid
     */
    OptionalLong get(String key);

    /**
     * Deletes the counter.
     *
     * @param key the counter
     * @return whether it existed
     * @throws IllegalArgumentException if the key is invalid
     */
    boolean delete(String key);
}
