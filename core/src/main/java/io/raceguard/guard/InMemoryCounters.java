package io.raceguard.guard;

import static io.raceguard.Inputs.requireKey;
import static io.raceguard.Inputs.requireNonNegative;
import static io.raceguard.Inputs.requirePositive;

import io.raceguard.Outcome;
import io.raceguard.Rejection;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@link Counters} for one JVM, kept in a {@link ConcurrentHashMap}: the embedded default and the
 * reference semantics every other backend is held to.
 *
 * <p><b>Atomicity.</b> Each method is one atomic map operation on its key ({@code compute},
 * {@code computeIfPresent}, {@code put}, {@code get}, {@code remove}); the condition is checked inside
 * that step, so concurrent calls on one key are linearizable.
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
        requireKey(key, "key");
        requirePositive(amount, "amount");
        StepOutcome step = new StepOutcome(Outcome.rejected(Rejection.NOT_FOUND, "no such counter"));
        levels.computeIfPresent(key, (k, level) -> {
            if (level < amount) {
                step.outcome = Outcome.rejected(Rejection.CONDITION_FAILED, "level below amount");
                return level;
            }
            long taken = level - amount;
            step.outcome = Outcome.applied(taken);
            return taken;
        });
        return step.outcome;
    }

    @Override
    public Outcome<Long> add(String key, long amount, long ceiling) {
        requireKey(key, "key");
        requirePositive(amount, "amount");
        requireNonNegative(ceiling, "ceiling");
        StepOutcome step = new StepOutcome(Outcome.rejected(Rejection.CONDITION_FAILED, "ceiling would be passed"));
        levels.compute(key, (k, level) -> {
            long current = level == null ? 0 : level;
            // Compared as a subtraction so that no sum can wrap: ceiling - amount >= -Long.MAX_VALUE.
            if (current > ceiling - amount) {
                return level;
            }
            long added = current + amount;
            step.outcome = Outcome.applied(added);
            return added;
        });
        return step.outcome;
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

    /** Carries the outcome out of a remapping function to its caller, on the same thread. */
    private static final class StepOutcome {
        private Outcome<Long> outcome;

        private StepOutcome(Outcome<Long> unlessApplied) {
            this.outcome = unlessApplied;
        }
    }
}
