package io.raceguard.counter;

import io.raceguard.Outcome;
import io.raceguard.internal.CounterRules;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@link Counters} for one JVM, kept in a {@link ConcurrentHashMap}: the embedded default and the
 * reference semantics every other backend is held to.
 *
 * <p><b>Atomicity.</b> Each counter is an {@link AtomicLong} in the map. {@code take}, {@code add}
 * and {@code set} read its level, check the condition on it, and write the new level with a
 * compare-and-set, reading again if another call changed it in between; an absent counter is created
 * with {@code putIfAbsent}. {@code delete} marks the counter dead with a compare-and-set, then takes it
 * out of the map; a call that meets a dead counter removes it and looks again. Every call therefore
 * takes effect at one instant, so concurrent calls on one key are linearizable, and none blocks
 * another. A call allocates nothing but its {@code Outcome} (and a counter when it creates one).
 *
 * <p><b>Memory.</b> One entry per counter, until {@link #delete} removes it; counters never expire.
 *
 * <p><b>Failure model.</b> Nothing to fail: no I/O, no exception but for bad input, which is rejected
 * before any effect. Levels live in this instance only; two instances, or two JVMs, count separately.
 *
 * <p>Thread-safe.
 */
public final class InMemoryCounters implements Counters {

    /** Marks a counter that {@link #delete} removed; levels are never negative. */
    private static final long DELETED = Long.MIN_VALUE;

    private final ConcurrentHashMap<String, AtomicLong> levels = new ConcurrentHashMap<>();

    private InMemoryCounters() {}

    /** @return new, empty in-memory counters */
    public static Counters create() {
        return new InMemoryCounters();
    }

    @Override
    public Outcome<Long> take(String key, long amount) {
        CounterRules.requireTake(key, amount);
        AtomicLong counter = levels.get(key);
        while (counter != null) {
            long current = counter.get();
            if (current == DELETED) {
                counter = nextAfterDeleted(key, counter);
            } else if (current < amount) {
                return CounterRules.takeRefused(true);
            } else if (counter.compareAndSet(current, current - amount)) {
                return Outcome.applied(current - amount);
            }
        }
        return CounterRules.takeRefused(false);
    }

    @Override
    public Outcome<Long> add(String key, long amount, long ceiling) {
        // Compared as a subtraction so that no sum can wrap; negative when no level fits.
        long highestThatFits = CounterRules.requireAdd(key, amount, ceiling);
        AtomicLong counter = levels.get(key);
        while (true) {
            if (counter == null) {
                if (0 > highestThatFits) {
                    return CounterRules.ceilingPassed();
                }
                counter = levels.putIfAbsent(key, new AtomicLong(amount));
                if (counter == null) {
                    return Outcome.applied(amount);
                }
            }
            long current = counter.get();
            if (current == DELETED) {
                counter = nextAfterDeleted(key, counter);
            } else if (current > highestThatFits) {
                return CounterRules.ceilingPassed();
            } else if (counter.compareAndSet(current, current + amount)) {
                return Outcome.applied(current + amount);
            }
        }
    }

    @Override
    public void set(String key, long level) {
        CounterRules.requireSet(key, level);
        AtomicLong counter = levels.get(key);
        while (true) {
            if (counter == null) {
                counter = levels.putIfAbsent(key, new AtomicLong(level));
                if (counter == null) {
                    return;
                }
            }
            long current = counter.get();
            if (current == DELETED) {
                counter = nextAfterDeleted(key, counter);
            } else if (counter.compareAndSet(current, level)) {
                return;
            }
        }
    }

    @Override
    public OptionalLong get(String key) {
        CounterRules.requireCounterKey(key);
        AtomicLong counter = levels.get(key);
        while (counter != null) {
            long current = counter.get();
            if (current != DELETED) {
                return OptionalLong.of(current);
            }
            counter = nextAfterDeleted(key, counter);
        }
        return OptionalLong.empty();
    }

    @Override
    public boolean delete(String key) {
        CounterRules.requireCounterKey(key);
        AtomicLong counter = levels.get(key);
        while (counter != null) {
            long current = counter.get();
            if (current == DELETED) {
                counter = nextAfterDeleted(key, counter);
            } else if (counter.compareAndSet(current, DELETED)) {
                levels.remove(key, counter);
                return true;
            }
        }
        return false;
    }

    /**
     * A counter dies at the compare-and-set that marks it {@link #DELETED}, and leaves the map just
     * after; a caller that meets it dead removes it itself (whoever comes first) and reads the map
     * again, so no call waits for the deleting thread.
     *
     * @return the key's counter now, or null
     */
    private AtomicLong nextAfterDeleted(String key, AtomicLong dead) {
        levels.remove(key, dead);
        return levels.get(key);
    }
}
