package io.raceguard.micrometer;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.raceguard.event.EventSource;
import java.util.Locale;

/** One counter per outcome of one meter name and one primitive, indexed by the outcome's position. */
final class OutcomeMeters {

    private final Counter[] byOutcome;

    private OutcomeMeters(Counter[] byOutcome) {
        this.byOutcome = byOutcome;
    }

    /**
     * @param tag the tag telling the outcomes apart ({@code outcome}, {@code cause})
     * @param outcomes the values of that tag, in the order {@link #increment} indexes them
     */
    static OutcomeMeters register(MeterRegistry registry, String name, String description, EventSource source,
            String tag, String... outcomes) {
        Counter[] counters = new Counter[outcomes.length];
        for (int i = 0; i < outcomes.length; i++) {
            counters[i] = Counter.builder(name)
                    .description(description)
                    .tags(SourceMeters.tags(source))
                    .tag(tag, outcomes[i])
                    .register(registry);
        }
        return new OutcomeMeters(counters);
    }

    /** @return the enum's constants as tag values: {@code IN_PROGRESS} becomes {@code in_progress} */
    static String[] tagValues(Enum<?>[] constants) {
        String[] values = new String[constants.length];
        for (int i = 0; i < constants.length; i++) {
            values[i] = constants[i].name().toLowerCase(Locale.ROOT);
        }
        return values;
    }

    void increment(int outcome) {
        byOutcome[outcome].increment();
    }
}
