package io.raceguard.cli;

import java.math.BigDecimal;
import java.util.Comparator;
import java.util.List;

/**
 * One expectation checked over every round.
 *
 * @param expectation the expectation
 * @param worst the round furthest from it, the first of them on a tie
 * @param worstObserved what that round showed
 * @param roundsBroken how many rounds broke it
 * @param rounds how many rounds ran
 */
record CheckResult(Expectation expectation, RoundResult worst, BigDecimal worstObserved, int roundsBroken,
        int rounds) {

    static CheckResult of(Expectation expectation, List<RoundResult> rounds) {
        RoundResult worst = rounds.stream()
                .max(Comparator.comparing(round -> expectation.distance(expectation.observed(round))))
                .orElseThrow();
        int broken = (int) rounds.stream().filter(round -> !expectation.holds(expectation.observed(round))).count();
        return new CheckResult(expectation, worst, expectation.observed(worst), broken, rounds.size());
    }

    boolean held() {
        return roundsBroken == 0;
    }

    /** @return {@code holds in every round} or {@code RACE in 3/5 rounds} */
    String verdict() {
        return held() ? "holds in every round" : "RACE in " + roundsBroken + "/" + rounds + " rounds";
    }
}
