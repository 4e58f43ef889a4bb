package io.raceguard.testing;

import java.util.List;
import java.util.Locale;
import java.util.StringJoiner;
import java.util.stream.Collectors;

/** The multi-line parts of a report: the summary under the verdict, and the per-round table. */
final class ReportText {

    private static final int MAX_FAILED_ROUNDS_SHOWN = 5;
    private static final int MAX_TABLE_ROWS = 200;
    private static final String NEWLINE = System.lineSeparator();

    private ReportText() {}

    /** @return what ran, what was checked, the failing rounds, the shrink, the skew and the warnings */
    static String summary(HammerReport<?> report) {
        StringJoiner text = new StringJoiner(NEWLINE);
        text.add("calls: " + report.calls() + ", " + rounds(report));
        text.add("checked: " + String.join("; ", BuiltInChecks.around(report.invariants(), Invariant::description)));
        List<? extends CheckedRound<?>> failed = report.failedRounds();
        for (CheckedRound<?> round : failed.subList(0, Math.min(failed.size(), MAX_FAILED_ROUNDS_SHOWN))) {
            text.add("round " + round.round().number() + " failed: "
                    + round.violations().stream().map(Violation::toString).collect(Collectors.joining("; ")));
        }
        if (failed.size() > MAX_FAILED_ROUNDS_SHOWN) {
            text.add("... and " + (failed.size() - MAX_FAILED_ROUNDS_SHOWN) + " more failed rounds");
        }
        report.shrink().ifPresent(shrink -> text.add(shrink(shrink)));
        SkewStatistics skews = report.releaseSkews();
        int rounds = report.rounds().size();
        text.add("release skew over " + rounds + (rounds == 1 ? " round: " : " rounds: ") + skews.summary()
                + " (histogram: " + skews.histogram() + ")");
        report.warnings().forEach(warning -> text.add("warning: " + warning));
        return text.toString();
    }

    /** @return one row per round: number, calls, skew, arrival spread, results, violations */
    static String table(HammerReport<?> report) {
        boolean arrivals = report.medianArrivalSpread().isPresent();
        StringBuilder table = new StringBuilder(String.format(Locale.ROOT, "%5s %5s %12s%s  %s",
                "round", "calls", "release skew", arrivals ? String.format(Locale.ROOT, " %14s", "arrival spread") : "",
                "results"));
        List<? extends CheckedRound<?>> rounds = report.rounds();
        for (CheckedRound<?> checked : rounds.subList(0, Math.min(rounds.size(), MAX_TABLE_ROWS))) {
            Round<?> round = checked.round();
            table.append(NEWLINE).append(String.format(Locale.ROOT, "%5d %5d %12s", round.number(), round.times(),
                    DurationText.of(round.releaseSkew())));
            if (arrivals) {
                table.append(String.format(Locale.ROOT, " %14s", DurationText.of(round.arrivalSpread().orElseThrow())));
            }
            table.append("  ").append(results(round));
            if (checked.failed()) {
                table.append("  FAILED: ").append(checked.violations().get(0));
            }
        }
        if (rounds.size() > MAX_TABLE_ROWS) {
            table.append(NEWLINE).append("... ").append(rounds.size() - MAX_TABLE_ROWS).append(" more rounds");
        }
        return table.toString();
    }

    private static String rounds(HammerReport<?> report) {
        String budget = "up to " + report.plannedRounds() + " rounds within " + DurationText.of(report.timeBudget());
        String mode = report.keepGoing() ? "keeping going after failures" : "stopping at the first failure";
        String stop = switch (report.stop()) {
            case ROUND_BUDGET -> "all ran";
            case TIME_BUDGET -> "stopped by the time budget after " + report.rounds().size();
            case FIRST_FAILURE -> "stopped at round " + report.rounds().size();
            case HUNG -> "stopped at round " + report.rounds().size() + " because a call hung";
        };
        return budget + ", " + mode + " (" + stop + ")";
    }

    private static String shrink(Shrink shrink) {
        String probes = shrink.probes().stream().map(Shrink.Probe::toString).collect(Collectors.joining(", "));
        return "shrink: " + shrink.from() + " -> " + shrink.smallestFailing() + " calls (binary search, up to "
                + shrink.roundsPerSize() + " rounds per size: " + (probes.isEmpty() ? "no size tried" : probes) + ")"
                + (shrink.cutShort() ? ", cut short by the time budget or a hung call" : "");
    }

    private static String results(Round<?> round) {
        Tally tally = new Tally();
        round.calls().forEach(call -> tally.add(ResultLabel.of(call)));
        return tally.toString();
    }
}
