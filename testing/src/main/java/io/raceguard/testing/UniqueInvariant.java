package io.raceguard.testing;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/** No two returned values share a key. */
final class UniqueInvariant<T> implements Invariant<T> {

    private final String what;
    private final Function<? super T, ?> by;

    UniqueInvariant(String what, Function<? super T, ?> by) {
        this.what = Words.requireWords(what, "what");
        this.by = requireNonNull(by, "by");
    }

    @Override
    public String description() {
        return "unique " + what;
    }

    @Override
    public Check<T> beforeRound() {
        return this::check;
    }

    private Optional<Violation> check(Round<? extends T> round) {
        List<Object> keys = new ArrayList<>();
        for (T value : round.values()) {
            keys.add(by.apply(value));
        }
        Tally tally = Tally.of(keys);
        List<Object> repeated = tally.repeated();
        if (repeated.isEmpty()) {
            return Optional.empty();
        }
        Object first = repeated.get(0);
        String more = repeated.size() == 1 ? "" : ", and " + (repeated.size() - 1) + " more repeated";
        return Optional.of(Violation.of(Anomaly.DUPLICATE, what + " " + Words.shortText(first) + " returned by "
                + tally.count(first) + " calls" + more + " (expected unique)"));
    }

    @Override
    public String toString() {
        return description();
    }
}
