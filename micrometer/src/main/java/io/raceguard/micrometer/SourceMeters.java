package io.raceguard.micrometer;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.raceguard.event.EventSource;

/** What every meter of a primitive shares: its tags, its user-given name and its backend. */
final class SourceMeters {

    private SourceMeters() {}

    static Tags tags(EventSource source) {
        return Tags.of("name", source.name(), "backend", source.backend());
    }

    static Counter counter(MeterRegistry registry, EventSource source, String name, String description) {
        return Counter.builder(name).description(description).tags(tags(source)).register(registry);
    }
}
