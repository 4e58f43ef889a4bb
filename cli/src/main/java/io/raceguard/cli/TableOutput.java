package io.raceguard.cli;

import java.io.PrintWriter;
import java.time.Duration;

/** Prints a report as a table like the demo's: one row per expectation. */
final class TableOutput {

    private static final String ROW = "%-28s %-12s %9s  %-22s %-22s %s%n";

    private TableOutput() {}

    static void print(RaceReport report, PrintWriter out) {
        out.println(report.request() + ": " + report.times() + " requests per round, " + report.technique() + ", "
                + report.rounds().size() + " rounds");
        out.println();
        out.printf(ROW, "check", "allowed", "observed", "verdict", "race window", "responses");
        out.printf(ROW, "", "", "(worst)", "", "(release/arrival)", "(worst round)");
        String window = text(report.medianReleaseSpread()) + " / "
                + report.medianArrivalSpread().map(TableOutput::text).orElse("n/a");
        for (CheckResult check : report.checks()) {
            out.printf(ROW, check.expectation().counted(), check.expectation().allowed(),
                    check.worstObserved().toPlainString(), check.verdict(), window, check.worst().statusText());
        }
        out.println();
        out.println("observed: the round furthest from the rule. race window: medians over the rounds of how far");
        out.println("apart the requests were released, and how far apart the server saw them arrive (when it");
        out.println("echoes its clock in the arrival header).");
        out.println(report.raceFound() ? "RACE: an expectation broke." : "Every expectation held in every round.");
    }

    /** @return e.g. {@code 85 us} or {@code 1.2 ms} */
    static String text(Duration duration) {
        long micros = duration.toNanos() / 1_000;
        return micros < 1_000 ? micros + " us" : String.format("%.1f ms", micros / 1_000.0);
    }
}
