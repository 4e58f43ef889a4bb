package io.raceguard.event;

import static java.util.Objects.requireNonNull;

import io.raceguard.counter.Counters;
import io.raceguard.internal.Events;
import io.raceguard.limit.RateLimiter;

/**
 * Wraps a rate limiter or counters of any backend so that each decision is reported to a
 * {@link RaceguardListener}. The wrapper adds no I/O and no synchronization: it calls the backend,
 * reports the outcome, and returns it unchanged, so atomicity, thread-safety and the failure model
 * are the backend's. A call that throws reports nothing. This class is a stateless factory.
 */
public final class Instrumented {

    private Instrumented() {}

    /**
     * @param limiter the limiter to report on
     * @param name the name its decisions are reported as, e.g. {@code "login"}; never a key
     * @param listener where to report each decision, allowed or refused
     * @return a limiter with the same decisions that reports them
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if {@code name} is not a valid {@link EventSource} name
     */
    public static RateLimiter rateLimiter(RateLimiter limiter, String name, RaceguardListener listener) {
        requireNonNull(limiter, "limiter");
        return new InstrumentedRateLimiter(limiter, Events.of(name, limiter.getClass(), listener));
    }

    /**
     * @param counters the counters to report on
     * @param name the name their changes are reported as, e.g. {@code "stock"}; never a key
     * @param listener where to report each {@code take} and {@code add}, applied or rejected
     * @return counters with the same outcomes that report them
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if {@code name} is not a valid {@link EventSource} name
     */
    public static Counters counters(Counters counters, String name, RaceguardListener listener) {
        requireNonNull(counters, "counters");
        return new InstrumentedCounters(counters, Events.of(name, counters.getClass(), listener));
    }
}
