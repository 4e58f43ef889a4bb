package io.raceguard.cli;

import java.time.Duration;
import java.util.Optional;
import java.util.stream.Collectors;

/** Writes a report as one JSON object, for CI: the checks, then every round. */
final class JsonOutput {

    private JsonOutput() {}

    static String of(RaceReport report) {
        String checks = report.checks().stream()
                .map(check -> "{\"check\":" + quote(check.expectation().counted())
                        + ",\"allowed\":" + quote(check.expectation().allowed())
                        + ",\"observedWorst\":" + check.worstObserved().toPlainString()
                        + ",\"worstRound\":" + check.worst().number()
                        + ",\"roundsBroken\":" + check.roundsBroken()
                        + ",\"held\":" + check.held()
                        + ",\"verdict\":" + quote(check.verdict()) + "}")
                .collect(Collectors.joining(","));
        String rounds = report.rounds().stream()
                .map(round -> "{\"round\":" + round.number()
                        + ",\"statuses\":{" + round.statuses().entrySet().stream()
                                .map(entry -> quote(entry.getKey().toString()) + ":" + entry.getValue())
                                .collect(Collectors.joining(",")) + "}"
                        + ",\"releaseSpreadMicros\":" + micros(round.releaseSpread())
                        + ",\"arrivalSpreadMicros\":" + micros(round.arrivalSpread())
                        + ",\"stateChange\":"
                        + (round.stateChange() == null ? "null" : round.stateChange().toPlainString())
                        + "}")
                .collect(Collectors.joining(","));
        return "{\"request\":" + quote(report.request())
                + ",\"technique\":" + quote(report.technique())
                + ",\"times\":" + report.times()
                + ",\"raceFound\":" + report.raceFound()
                + ",\"medianReleaseSpreadMicros\":" + micros(report.medianReleaseSpread())
                + ",\"medianArrivalSpreadMicros\":" + micros(report.medianArrivalSpread())
                + ",\"checks\":[" + checks + "],\"rounds\":[" + rounds + "]}";
    }

    private static String micros(Duration duration) {
        return Long.toString(duration.toNanos() / 1_000);
    }

    private static String micros(Optional<Duration> duration) {
        return duration.map(JsonOutput::micros).orElse("null");
    }

    static String quote(String text) {
        StringBuilder quoted = new StringBuilder(text.length() + 2).append('"');
        for (char c : text.toCharArray()) {
            switch (c) {
                case '"' -> quoted.append("\\\"");
                case '\\' -> quoted.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        quoted.append(String.format("\\u%04x", (int) c));
                    } else {
                        quoted.append(c);
                    }
                }
            }
        }
        return quoted.append('"').toString();
    }
}
