package io.raceguard.cli;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Everything one {@code race} run found: the rounds and each expectation checked over them.
 *
 * @param request the raced request, e.g. {@code POST http://127.0.0.1:8080/naive/coupons/redeem}
 * @param technique {@code HTTP/1.1 last-byte sync} or {@code HTTP/2 single-packet}
 * @param times requests per round
 * @param rounds the rounds in order
 * @param checks one per expectation, in the order given
 */
record RaceReport(String request, String technique, int times, List<RoundResult> rounds, List<CheckResult> checks) {

    RaceReport {
        rounds = List.copyOf(rounds);
        checks = List.copyOf(checks);
    }

    static RaceReport of(String request, String technique, int times, List<RoundResult> rounds,
            List<Expectation> expectations) {
        return new RaceReport(request, technique, times, rounds,
                expectations.stream().map(expectation -> CheckResult.of(expectation, rounds)).toList());
    }

    boolean raceFound() {
        return checks.stream().anyMatch(check -> !check.held());
    }

    Duration medianReleaseSpread() {
        return median(rounds.stream().map(RoundResult::releaseSpread).toList());
    }

    /** @return the median arrival spread, when the server echoed its clock in every round */
    Optional<Duration> medianArrivalSpread() {
        List<Duration> spreads = rounds.stream().flatMap(round -> round.arrivalSpread().stream()).toList();
        return spreads.size() == rounds.size() ? Optional.of(median(spreads)) : Optional.empty();
    }

    private static Duration median(List<Duration> durations) {
        List<Duration> sorted = durations.stream().sorted().toList();
        return sorted.get(sorted.size() / 2);
    }
}
