package io.raceguard.testing;

import static java.util.Objects.requireNonNull;

/** An invariant that reads no state before a round, only checks it after. Immutable. */
final class AfterRound<T> implements Invariant<T> {

    private final String description;
    private final Check<T> check;

    AfterRound(String description, Check<T> check) {
        this.description = Words.requireWords(description, "description");
        this.check = requireNonNull(check, "check");
    }

    @Override
    public String description() {
        return description;
    }

    @Override
    public Check<T> beforeRound() {
        return check;
    }

    @Override
    public String toString() {
        return description;
    }
}
