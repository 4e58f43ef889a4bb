package io.raceguard.testing;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/** No two returned values share a key. */
final class UniqueInvariant<T> implements Invariant.Check<T> {

    private final String what;
    private final Function<? super T, ?> by;

    private UniqueInvariant(String what, Function<? super T, ?> by) {
        this.what = Words.requireWords(what, "what");
        this.by = requireNonNull(by, "by");
    }

    static <T> Invariant<T> of(String what, Function<? super T, ?> by) {
        return new AfterRound<>("unique " + what, new UniqueInvariant<>(what, by));
    }

    @Override
    public Optional<Violation> afterRound(Round<? extends T> round) {
        Tally tally = Tally.byKey(round.values(), by);
        List<Object> repeated = tally.repeated();
        if (repeated.isEmpty()) {
            return Optional.empty();
        }
        Object first = repeated.get(0);
        String more = repeated.size() == 1 ? "" : ", and " + (repeated.size() - 1) + " more repeated";
        return Optional.of(Violation.of(Anomaly.DUPLICATE, what + " " + Words.shortText(first) + " returned by "
                + tally.count(first) + " calls" + more + " (expected unique)"));
    }
}
