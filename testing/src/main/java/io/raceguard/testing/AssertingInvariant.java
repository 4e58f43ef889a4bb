package io.raceguard.testing;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/** A rule written as assertions: an {@link AssertionError} from the check is the violation. */
final class AssertingInvariant<T> implements Invariant<T> {

    private final String description;
    private final RoundAssertion<T> assertion;

    AssertingInvariant(String description, RoundAssertion<T> assertion) {
        this.description = Words.requireWords(description, "description");
        this.assertion = requireNonNull(assertion, "assertion");
    }

    @Override
    public String description() {
        return description;
    }

    @Override
    public Check<T> beforeRound() {
        return this::check;
    }

    @SuppressWarnings("unchecked") // a round is read-only, so a round of a subtype of T is a round of T
    private Optional<Violation> check(Round<? extends T> round) throws Exception {
        try {
            assertion.check((Round<T>) round);
            return Optional.empty();
        } catch (AssertionError broken) {
            String message = broken.getMessage();
            return Optional.of(Violation.of(message == null || message.isBlank()
                    ? description + " broken"
                    : Words.oneLine(message)));
        }
    }

    @Override
    public String toString() {
        return description;
    }
}
