package io.raceguard.micrometer;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.raceguard.event.EventSource;
import io.raceguard.event.RetryCause;

/** The meters of one {@code Transactions}. */
record TransactionMeters(Counter attempts, OutcomeMeters retries, Counter exhausted, Counter commitUnknown) {

    static TransactionMeters register(MeterRegistry registry, EventSource source) {
        return new TransactionMeters(
                SourceMeters.counter(registry, source, "raceguard.transaction.attempts", "Transaction attempts begun"),
                OutcomeMeters.register(registry, "raceguard.transaction.retries",
                        "Transaction attempts refused by the database and retried", source, "cause",
                        OutcomeMeters.tagValues(RetryCause.values())),
                SourceMeters.counter(registry, source, "raceguard.transaction.exhausted",
                        "Transactions that ran out of attempts or time"),
                SourceMeters.counter(registry, source, "raceguard.transaction.commit.unknown",
                        "Commits whose outcome is unknown: the connection failed during them"));
    }
}
