package io.raceguard.micrometer;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.raceguard.event.EventSource;

/** The meters of one lock manager. */
record LockMeters(Timer acquired, Counter refused, Counter timedOut, Timer held, Counter lost, Counter extended) {

    static LockMeters register(MeterRegistry registry, EventSource source) {
        return new LockMeters(
                Timer.builder("raceguard.lock.acquired")
                        .description("Locks taken, timed by how long the caller waited")
                        .tags(SourceMeters.tags(source)).publishPercentileHistogram().register(registry),
                SourceMeters.counter(registry, source, "raceguard.lock.refused",
                        "tryAcquire calls that found the lock held"),
                SourceMeters.counter(registry, source, "raceguard.lock.timed.out",
                        "acquire calls that gave up waiting"),
                Timer.builder("raceguard.lock.held")
                        .description("Leases released, timed by how long they were held")
                        .tags(SourceMeters.tags(source)).publishPercentileHistogram().register(registry),
                SourceMeters.counter(registry, source, "raceguard.lock.lost", "Leases lost while held"),
                SourceMeters.counter(registry, source, "raceguard.lock.extended", "Leases extended or renewed"));
    }
}
