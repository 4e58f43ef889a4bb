package io.raceguard.limit;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * The per-key states of one in-memory limiter. Each decision is one {@link ConcurrentHashMap#compute}
 * on its key that reads the clock, so decisions on one key are serialized and see non-decreasing
 * times.
 *
 * <p>Memory stays bounded: a state past {@link LimitAlgorithm#expiresAt} decides like no state at all,
 * so it is replaced when its key comes back and removed by a sweep that runs after as many decisions
 * as there were keys after the previous sweep (at least {@value #MIN_DECISIONS_BETWEEN_SWEEPS}). A
 * sweep costs one pass over the keys, so its cost per decision stays constant, and the map never holds
 * more than about twice the keys that are live plus {@value #MIN_DECISIONS_BETWEEN_SWEEPS}.
 *
 * <p>Thread-safe.
 *
 * @param <S> the per-key state
 */
final class LimitStates<S> {

    static final long MIN_DECISIONS_BETWEEN_SWEEPS = 1024;

    private final LimitAlgorithm<S> algorithm;
    private final LongSupplier clockMillis;
    private final ConcurrentHashMap<String, S> states = new ConcurrentHashMap<>();
    private final AtomicLong decisionsSinceSweep = new AtomicLong();
    private volatile long decisionsBetweenSweeps = MIN_DECISIONS_BETWEEN_SWEEPS;

    LimitStates(LimitAlgorithm<S> algorithm, LongSupplier clockMillis) {
        this.algorithm = algorithm;
        this.clockMillis = clockMillis;
    }

    /**
     * @param key a checked key
     * @param permits permits in {@code 1..limit}
     * @return the decision, taken in one atomic step on the key
     */
    RateLimitDecision decide(String key, long permits) {
        // Written inside the atomic step and read after it, by this thread only.
        RateLimitDecision[] decision = new RateLimitDecision[1];
        states.compute(key, (k, stored) -> {
            long now = clockMillis.getAsLong();
            StateTransition<S> transition = algorithm.decide(live(stored, now), now, permits);
            decision[0] = transition.decision();
            return transition.state();
        });
        sweepIfDue();
        return decision[0];
    }

    /** @return how many keys have a state in memory, expired or not */
    long trackedKeys() {
        return states.mappingCount();
    }

    private S live(S stored, long now) {
        return stored == null || algorithm.expiresAt(stored) <= now ? null : stored;
    }

    private void sweepIfDue() {
        long due = decisionsBetweenSweeps;
        // getAndSet lets exactly one of the threads that crossed the threshold sweep.
        if (decisionsSinceSweep.incrementAndGet() < due || decisionsSinceSweep.getAndSet(0) < due) {
            return;
        }
        long now = clockMillis.getAsLong();
        states.forEach((key, state) -> {
            if (algorithm.expiresAt(state) <= now) {
                // Conditional: a state a concurrent decision just stored stays.
                states.remove(key, state);
            }
        });
        decisionsBetweenSweeps = Math.max(MIN_DECISIONS_BETWEEN_SWEEPS, states.mappingCount());
    }
}
