package io.raceguard.counter;

import static io.raceguard.internal.Inputs.requireKey;
import static io.raceguard.internal.Inputs.requireNonNegative;
import static io.raceguard.internal.Inputs.requirePositive;

import io.raceguard.Outcome;
import io.raceguard.Rejection;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@link Counters} for one JVM, kept in a {@link ConcurrentHashMap}: the embedded default and the
 * reference semantics every other backend is held to.
 *
 * <p><b>Atomicity.</b> {@code take} and {@code add} read the level, check the condition on it, and
 * write the new level with a compare-and-set ({@code replace(key, read, new)}, or {@code putIfAbsent}
 * for an absent counter), reading again if another call changed the level in between; the others
 * are one atomic map operation ({@code put}, {@code get}, {@code remove}). Every call therefore takes
 * effect at one instant, so concurrent calls on one key are linearizable, and none blocks another.
 *
 * <p><b>Memory.</b> One entry per counter, until {@link #delete} removes it; counters never expire.
 *
 * <p><b>Failure model.</b> Nothing to fail: no I/O, no exception but for bad input, which is rejected
 * before any effect. Levels live in this instance only; two instances, or two JVMs, count separately.
 *
 * <p>Thread-safe.
 */
public final class InMemoryCounters implements Counters {

    // Refusals carry no per-call data, so one immutable instance each serves every call.
    private static final Outcome<Long> NOT_FOUND = Outcome.rejected(Rejection.NOT_FOUND, "no such counter");
    private static final Outcome<Long> BELOW_AMOUNT =
            Outcome.rejected(Rejection.CONDITION_FAILED, "level below amount");
    private static final Outcome<Long> CEILING_PASSED =
            Outcome.rejected(Rejection.CONDITION_FAILED, "ceiling would be passed");

    private final ConcurrentHashMap<String, Long> levels = new ConcurrentHashMap<>();

    private InMemoryCounters() {}

    /** @return new, empty in-memory counters */
    public static Counters create() {
        return new InMemoryCounters();
    }

    @Override
    public Outcome<Long> take(String key, long amount) {
        requireKey(key, "key");
        requirePositive(amount, "amount");
        while (true) {
            Long level = levels.get(key);
            if (level == null) {
                return NOT_FOUND;
            }
            if (level < amount) {
                return BELOW_AMOUNT;
            }
            Long taken = level - amount;
            if (levels.replace(key, level, taken)) {
                return Outcome.applied(taken);
            }
        }
    }

    @Override
    public Outcome<Long> add(String key, long amount, long ceiling) {
        requireKey(key, "key");
        requirePositive(amount, "amount");
        requireNonNegative(ceiling, "ceiling");
        while (true) {
            Long level = levels.get(key);
            long current = level == null ? 0 : level;
            // Compared as a subtraction so that no sum can wrap: ceiling - amount >= -Long.MAX_VALUE.
            if (current > ceiling - amount) {
                return CEILING_PASSED;
            }
            Long added = current + amount;
            boolean swapped = level == null
                    ? levels.putIfAbsent(key, added) == null
                    : levels.replace(key, level, added);
            if (swapped) {
                return Outcome.applied(added);
            }
        }
    }

    @Override
    public void set(String key, long level) {
        requireKey(key, "key");
        requireNonNegative(level, "level");
        levels.put(key, level);
    }

    @Override
    public OptionalLong get(String key) {
        requireKey(key, "key");
        Long level = levels.get(key);
        return level == null ? OptionalLong.empty() : OptionalLong.of(level);
    }

    @Override
    public boolean delete(String key) {
        requireKey(key, "key");
        return levels.remove(key) != null;
    }
}
