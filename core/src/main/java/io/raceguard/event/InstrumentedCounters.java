package io.raceguard.event;

import io.raceguard.Outcome;
import io.raceguard.counter.Counters;
import io.raceguard.internal.EventRouting;
import java.util.OptionalLong;

/** Counters that report each {@code take} and {@code add} of the ones they wrap; see {@link Instrumented}. */
final class InstrumentedCounters implements Counters {

    private final Counters counters;
    private final EventRouting events;

    InstrumentedCounters(Counters counters, EventRouting events) {
        this.counters = counters;
        this.events = events;
    }

    @Override
    public Outcome<Long> take(String key, long amount) {
        return reported(key, counters.take(key, amount));
    }

    @Override
    public Outcome<Long> add(String key, long amount, long ceiling) {
        return reported(key, counters.add(key, amount, ceiling));
    }

    private Outcome<Long> reported(String key, Outcome<Long> outcome) {
        events.forKey(key).counter(outcome.isApplied());
        return outcome;
    }

    @Override
    public void set(String key, long level) {
        counters.set(key, level);
    }

    @Override
    public OptionalLong get(String key) {
        return counters.get(key);
    }

    @Override
    public boolean delete(String key) {
        return counters.delete(key);
    }
}
