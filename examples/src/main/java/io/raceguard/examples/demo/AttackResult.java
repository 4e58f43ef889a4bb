package io.raceguard.examples.demo;

import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Every round of one attack against one mode of the shop.
 *
 * @param attack the attack
 * @param mode {@code naive} or {@code guarded}
 * @param rounds the rounds, in the order they ran; at least one
 */
record AttackResult(Attack attack, String mode, List<Round> rounds) {

    static final String GUARDED = "guarded";

    AttackResult {
        rounds = List.copyOf(rounds);
        if (rounds.isEmpty()) {
            throw new IllegalArgumentException("an attack result needs at least one round");
        }
    }

    /** @return the round with the most state changes, the first of them on a tie */
    Round worstRound() {
        return rounds.stream().max(Comparator.comparingLong(Round::observed)).orElseThrow();
    }

    /** @return the rounds that changed the state more often than the rule allows */
    long roundsOverLimit() {
        return rounds.stream().filter(round -> round.observed() > attack.allowed()).count();
    }

    /**
     * @return whether every round changed the state exactly as often as allowed, without a server error:
     *     fewer would mean the guard refused requests it should have let through
     */
    boolean heldEveryRound() {
        return brokenRounds() == 0;
    }

    /** @return the rounds that changed the state other than exactly as often as allowed, or had a server error */
    long brokenRounds() {
        return rounds.stream()
                .filter(round -> round.observed() != attack.allowed() || round.serverErrors() > 0)
                .count();
    }

    boolean guarded() {
        return mode.equals(GUARDED);
    }

    String verdict() {
        if (guarded()) {
            long broken = brokenRounds();
            return broken == 0 ? "holds in every round" : "BROKEN in " + broken + "/" + rounds.size() + " rounds";
        }
        long over = roundsOverLimit();
        return over > 0
                ? "RACE in " + over + "/" + rounds.size() + " rounds"
                : "no race seen in " + rounds.size() + " rounds";
    }

    /** @return the median over the rounds of the release spread */
    Duration medianReleaseSpread() {
        return median(rounds.stream().map(Round::releaseSpread).toList());
    }

    /** @return the median over the rounds of the arrival spread, if the shop reported it every round */
    Optional<Duration> medianArrivalSpread() {
        List<Duration> spreads = rounds.stream().flatMap(round -> round.arrivalSpread().stream()).toList();
        return spreads.size() == rounds.size() ? Optional.of(median(spreads)) : Optional.empty();
    }

    private static Duration median(List<Duration> durations) {
        List<Duration> sorted = durations.stream().sorted().toList();
        return sorted.get(sorted.size() / 2);
    }
}
