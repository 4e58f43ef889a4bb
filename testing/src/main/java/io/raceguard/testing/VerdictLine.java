package io.raceguard.testing;

import java.util.List;

/**
 * The one-line verdict of a run, e.g. {@code 3/50 rounds failed: double spend: 2 applied (expected
 * exactly 1); median release skew 41 us; smallest failing N: 2}.
 */
final class VerdictLine {

    private VerdictLine() {}

    static String of(HammerReport<?> report) {
        List<? extends CheckedRound<?>> rounds = report.rounds();
        int times = rounds.get(0).round().times();
        StringBuilder line = new StringBuilder();
        if (report.failed()) {
            List<? extends CheckedRound<?>> failed = report.failedRounds();
            CheckedRound<?> first = failed.get(0);
            if (report.keepGoing()) {
                line.append(failed.size()).append('/').append(rounds.size()).append(" rounds failed: ");
            } else {
                line.append("round ").append(first.round().number()).append(" of ").append(report.plannedRounds())
                        .append(" failed: ");
            }
            line.append(first.violations().get(0));
            if (first.violations().size() > 1) {
                line.append(" (+").append(first.violations().size() - 1).append(" more)");
            }
        } else {
            line.append(rounds.size()).append('/').append(report.plannedRounds()).append(" rounds clean, ")
                    .append(times).append(times == 1 ? " call each" : " calls each");
            if (report.stop() == StopReason.TIME_BUDGET) {
                line.append(" (time budget of ").append(DurationText.of(report.timeBudget())).append(" reached)");
            }
        }
        line.append("; median release skew ").append(DurationText.of(report.medianReleaseSkew()));
        report.medianArrivalSpread().ifPresent(spread ->
                line.append("; median arrival spread ").append(DurationText.of(spread)));
        report.shrink().ifPresent(shrink -> {
            line.append("; smallest failing N: ").append(shrink.smallestFailing());
            if (shrink.smallestFailing() == 1) {
                line.append(" (fails without concurrency)");
            }
        });
        return line.toString();
    }
}
