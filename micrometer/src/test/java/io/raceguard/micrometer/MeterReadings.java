package io.raceguard.micrometer;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.search.Search;

/** Reads a recorded count back from a registry: a counter's count, or a timer's number of recordings. */
final class MeterReadings {

    private final MeterRegistry registry;

    MeterReadings(MeterRegistry registry) {
        this.registry = registry;
    }

    /** @return the count of the meter of that name and tags, 0 if none was registered */
    long count(String meter, String... tags) {
        Search search = registry.find(meter).tags(tags);
        if (search.timer() != null) {
            return search.timer().count();
        }
        return search.counter() == null ? 0 : (long) search.counter().count();
    }
}
