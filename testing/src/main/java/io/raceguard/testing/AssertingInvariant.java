package io.raceguard.testing;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * A rule written as assertions: an {@link AssertionError} from the check is the violation, led by the
 * rule's own words ({@code the work ran once: expected 1 but was 2}), since only the user can name it.
 */
final class AssertingInvariant<T> implements Invariant.Check<T> {

    private final String description;
    private final Invariant.RoundAssertion<T> assertion;

    private AssertingInvariant(String description, Invariant.RoundAssertion<T> assertion) {
        this.description = Words.requireWords(description, "description");
        this.assertion = requireNonNull(assertion, "assertion");
    }

    static <T> Invariant<T> of(String description, Invariant.RoundAssertion<T> assertion) {
        return new AfterRound<>(description, new AssertingInvariant<>(description, assertion));
    }

    @Override
    @SuppressWarnings("unchecked") // a round is read-only, so a round of a subtype of T is a round of T
    public Optional<Violation> afterRound(Round<? extends T> round) throws Exception {
        try {
            assertion.check((Round<T>) round);
            return Optional.empty();
        } catch (AssertionError broken) {
            String message = broken.getMessage();
            return Optional.of(Violation.of(message == null || message.isBlank()
                    ? description + " broken"
                    : description + ": " + Words.oneLine(message)));
        }
    }
}
