package io.raceguard.testing;

import static java.util.Objects.requireNonNull;

import io.raceguard.internal.Inputs;
import java.util.Optional;
import java.util.function.Predicate;

/** {@code exactly}, {@code atMost} and {@code none}: how many returned values match a predicate. */
final class CountInvariant<T> implements Invariant.Check<T> {

    static final String MATCHING = "matching";

    /** How a count may relate to its bound. */
    enum Bound {
        EXACTLY("exactly "), AT_MOST("at most "), NONE("no ");

        private final String words;

        Bound(String words) {
            this.words = words;
        }

        /**
         * @param n the bound
         * @param counted what is counted, in the plural of {@code n}: {@code applied}, {@code rows in orders}
         * @return what the bound demands, for reports: {@code exactly 1 applied}, {@code no status 500}
         */
        String demand(long n, String counted) {
            return this == NONE ? "no " + counted : words + n + " " + counted;
        }

        /**
         * @param n the bound
         * @param count the count a round ended with
         * @param counted the count in words: {@code 2 applied}, {@code 2 rows in signups}
         * @param excessOverOne what more than one shows where one is allowed: a double spend of results,
         *     a duplicate of rows; any other excess is a limit overrun, and too few is unlabelled
         * @return the violation, or empty if the count keeps the bound
         */
        Optional<Violation> judge(long n, long count, String counted, Anomaly excessOverOne) {
            boolean tooMany = count > n;
            boolean tooFew = this == EXACTLY && count < n;
            if (!tooMany && !tooFew) {
                return Optional.empty();
            }
            String message = counted + " (expected " + (this == NONE ? "none" : words + n) + ")";
            if (!tooMany || this == NONE) {
                return Optional.of(Violation.of(message));
            }
            return Optional.of(Violation.of(n == 1 ? excessOverOne : Anomaly.LIMIT_OVERRUN, message));
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
        return new AfterRound<>(bound.demand(n, what), count);
    }

    @Override
    public Optional<Violation> afterRound(Round<? extends T> round) {
        long count = round.count(matching);
        return bound.judge(n, count, count + " " + what, Anomaly.DOUBLE_SPEND);
    }
}
