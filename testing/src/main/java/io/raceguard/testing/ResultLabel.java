package io.raceguard.testing;

import io.raceguard.Outcome;
import io.raceguard.testing.http.RaceResponse;

/**
 * A short label per call for the round table, so that a round reads as
 * {@code applied: 1, rejected CONDITION_FAILED: 19}.
 */
final class ResultLabel {

    private ResultLabel() {}

    static String of(CallResult<?> call) {
        if (call.stillRunning()) {
            return "still running";
        }
        if (!call.returned()) {
            return "threw " + call.failure().orElseThrow().getClass().getSimpleName();
        }
        Object value = call.value();
        if (value instanceof Outcome<?> outcome) {
            return outcome.isApplied() ? "applied" : "rejected " + outcome.rejection();
        }
        if (value instanceof RaceResponse response) {
            return String.valueOf(response.status());
        }
        if (value instanceof Observed<?> observed) {
            return observed.hasWritten() ? "wrote" : "read only";
        }
        return Words.shortText(value);
    }
}
