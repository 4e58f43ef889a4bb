package io.raceguard.counter;

import io.raceguard.Outcome;
import io.raceguard.internal.CounterRules;
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

    private final ConcurrentHashMap<String, Long> levels = new ConcurrentHashMap<>();

    private InMemoryCounters() {}

    /** @return new, empty in-memory counters */
    public static Counters create() {
        return new InMemoryCounters();
    }

    @Override
    public Outcome<Long> take(String key, long amount) {
        CounterRules.requireTake(key, amount);
        while (true) {
            Long level = levels.get(key);
            if (level == null || level < amount) {
                return CounterRules.takeRefused(level != null);
            }
            Long taken = level - amount;
            if (levels.replace(key, level, taken)) {
                return Outcome.applied(taken);
            }
        }
    }

    @Override
    public Outcome<Long> add(String key, long amount, long ceiling) {
        return CounterRules.add(key, amount, ceiling, highestLevelThatFits -> {
            while (true) {
                Long level = levels.get(key);
                long current = level == null ? 0 : level;
                if (current > highestLevelThatFits) {
                    return CounterRules.ceilingPassed();
                }
                Long added = current + amount;
                boolean swapped = level == null
                        ? levels.putIfAbsent(key, added) == null
                        : levels.replace(key, level, added);
                if (swapped) {
                    return Outcome.applied(added);
                }
            }
        });
    }

    @Override
    public void set(String key, long level) {
        CounterRules.requireSet(key, level);
        levels.put(key, level);
    }

    @Override
    public OptionalLong get(String key) {
        CounterRules.requireCounterKey(key);
        Long level = levels.get(key);
        return level == null ? OptionalLong.empty() : OptionalLong.of(level);
    }

    @Override
    public boolean delete(String key) {
        CounterRules.requireCounterKey(key);
        return levels.remove(key) != null;
    }
}
