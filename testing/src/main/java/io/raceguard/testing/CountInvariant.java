package io.raceguard.testing;

import static java.util.Objects.requireNonNull;

import io.raceguard.internal.Inputs;
import java.util.Optional;
import java.util.function.Predicate;

/** {@code exactly}, {@code atMost} and {@code none}: how many returned values match a predicate. */
final class CountInvariant<T> implements Invariant.Check<T> {

    static final String MATCHING = "matching";

    enum Bound {
        EXACTLY("exactly "), AT_MOST("at most "), NONE("no ");

        private final String words;

        Bound(String words) {
            this.words = words;
        }
    }

    private final Bound bound;
    private final long n;
    private final String what;
    private final Predicate<? super T> matching;

    private CountInvariant(Bound bound, long n, String what, Predicate<? super T> matching) {
        this.bound = bound;
        this.n = Inputs.requireNonNegative(n, "n");
        this.what = Words.requireWords(what, "what");
        this.matching = requireNonNull(matching, "matching");
    }

    static <T> Invariant<T> of(Bound bound, long n, String what, Predicate<? super T> matching) {
        CountInvariant<T> count = new CountInvariant<>(bound, n, what, matching);
        return new AfterRound<>(bound == Bound.NONE ? "no " + what : bound.words + n + " " + what, count);
    }

    @Override
    public Optional<Violation> afterRound(Round<? extends T> round) {
        long count = round.count(matching);
        boolean tooMany = count > n;
        boolean tooFew = bound == Bound.EXACTLY && count < n;
        if (!tooMany && !tooFew) {
            return Optional.empty();
        }
        String expected = bound == Bound.NONE ? "none" : bound.words + n;
        String message = count + " " + what + " (expected " + expected + ")";
        if (!tooMany || bound == Bound.NONE) {
            return Optional.of(Violation.of(message));
        }
        return Optional.of(Violation.of(n == 1 ? Anomaly.DOUBLE_SPEND : Anomaly.LIMIT_OVERRUN, message));
    }
}
