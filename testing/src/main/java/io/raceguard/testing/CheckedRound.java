package io.raceguard.testing;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * A round with the violations found in it.
 *
 * @param round what the calls did
 * @param violations the invariants it broke, built-in checks first; empty if it kept them all
 * @param <T> the type of value the calls return
 */
public record CheckedRound<T>(Round<T> round, List<Violation> violations) {

    /** @throws NullPointerException if an argument is null */
    public CheckedRound {
        requireNonNull(round, "round");
        violations = List.copyOf(violations);
    }

    /** @return {@code true} if the round broke an invariant */
    public boolean failed() {
        return !violations.isEmpty();
    }
}
