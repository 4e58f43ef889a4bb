package io.raceguard.examples.demo;

import io.raceguard.examples.shop.Shop;
import java.io.PrintStream;
import java.time.Duration;

/** Prints the demo's results as a table, one row per endpoint and mode, as they come in. */
final class ResultTable {

    private static final String ROW = "%-21s %-8s %-17s %7s %9s  %-22s %-22s %s%n";

    private final PrintStream out;

    ResultTable(PrintStream out) {
        this.out = out;
    }

    void header() {
        out.printf(ROW, "endpoint", "mode", "state change", "allowed", "observed", "verdict",
                "race window", "responses");
        out.printf(ROW, "", "", "", "", "(worst)", "", "(release/arrival)", "(worst round)");
    }

    void legend() {
        out.println("observed: state changes in the worst round, counted by GET /state/{mode} after the round.");
        out.println("race window: median over the rounds of how far apart the final bytes left (release) and");
        out.println("how far apart the shop saw the requests complete (arrival, echoed in " + Shop.ARRIVAL_HEADER
                + ").");
    }

    void row(AttackResult result) {
        Round worst = result.worstRound();
        out.printf(ROW, result.attack().endpoint(), result.mode(), result.attack().counted(), result.attack().allowed(),
                worst.observed(), result.verdict(), raceWindow(result), worst.statusText());
    }

    private static String raceWindow(AttackResult result) {
        return text(result.medianReleaseSpread()) + " / "
                + result.medianArrivalSpread().map(ResultTable::text).orElse("n/a");
    }

    /** @return e.g. {@code 85 us} or {@code 1.2 ms} */
    static String text(Duration duration) {
        long micros = duration.toNanos() / 1_000;
        return micros < 1_000 ? micros + " us" : String.format("%.1f ms", micros / 1_000.0);
    }
}
