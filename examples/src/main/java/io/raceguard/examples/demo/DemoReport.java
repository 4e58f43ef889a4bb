package io.raceguard.examples.demo;

import java.util.List;
import java.util.Optional;

/**
 * Everything one run of the demo saw: one result per attack and mode.
 *
 * @param results in the order they ran
 */
record DemoReport(List<AttackResult> results) {

    DemoReport {
        results = List.copyOf(results);
    }

    /** @return whether every guarded endpoint held in every round */
    boolean guardedHeld() {
        return results.stream().filter(AttackResult::guarded).allMatch(AttackResult::heldEveryRound);
    }

    /** @return the result for the endpoint path (e.g. {@code /orders}) and mode */
    Optional<AttackResult> result(String path, String mode) {
        return results.stream()
                .filter(result -> result.attack().path().equals(path) && result.mode().equals(mode))
                .findFirst();
    }
}
