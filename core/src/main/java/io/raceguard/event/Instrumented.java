package io.raceguard.event;

import static java.util.Objects.requireNonNull;

import io.raceguard.counter.Counters;
import io.raceguard.internal.EventRouting;
import io.raceguard.internal.Events;
import io.raceguard.limit.RateLimiter;
import java.util.function.Function;

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
        return new InstrumentedRateLimiter(limiter, EventRouting.fixed(Events.of(name, limiter.getClass(), listener)));
    }

    /**
     * @param limiter the limiter to report on
     * @param nameOfKey your function from a key to a bounded name, e.g. {@code key -> key.startsWith("ip:") ?
     *     "login-ip" : "login-user"}; past {@value EventRouting#MAX_NAMES} names the rest report as
     *     {@code "other"}, and a key it fails to name goes unreported
     * @param listener where to report each decision, allowed or refused
     * @return a limiter with the same decisions that reports them under the names of their keys
     * @throws NullPointerException if an argument is null
     */
    public static RateLimiter rateLimiter(RateLimiter limiter, Function<String, String> nameOfKey,
            RaceguardListener listener) {
        requireNonNull(limiter, "limiter");
        return new InstrumentedRateLimiter(limiter, EventRouting.byKey(nameOfKey, limiter.getClass(), listener));
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
        return new InstrumentedCounters(counters, EventRouting.fixed(Events.of(name, counters.getClass(), listener)));
    }

    /**
     * @param counters the counters to report on
     * @param nameOfKey your function from a key to a bounded name, e.g. {@code key -> "stock"}; past
     *     {@value EventRouting#MAX_NAMES} names the rest report as {@code "other"}, and a key it fails
     *     to name goes unreported
     * @param listener where to report each {@code take} and {@code add}, applied or rejected
     * @return counters with the same outcomes that report them under the names of their keys
     * @throws NullPointerException if an argument is null
     */
    public static Counters counters(Counters counters, Function<String, String> nameOfKey,
            RaceguardListener listener) {
        requireNonNull(counters, "counters");
        return new InstrumentedCounters(counters, EventRouting.byKey(nameOfKey, counters.getClass(), listener));
    }
}
