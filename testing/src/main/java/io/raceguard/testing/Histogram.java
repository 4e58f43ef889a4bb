package io.raceguard.testing;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/** Returned values grouped by a key occur exactly as often as expected. */
final class Histogram<T> implements Invariant<T> {

    private final String what;
    private final Function<? super T, ?> by;
    private final Map<Object, Long> expected;

    Histogram(String what, Function<? super T, ?> by, Map<?, Integer> expected) {
        this.what = Words.requireWords(what, "what");
        this.by = requireNonNull(by, "by");
        requireNonNull(expected, "expected");
        Map<Object, Long> copy = new LinkedHashMap<>();
        expected.forEach((key, count) -> {
            requireNonNull(key, "expected key");
            requireNonNull(count, "expected count");
            if (count < 0) {
                throw new IllegalArgumentException("expected count for " + key + " must be >= 0, was " + count);
            }
            copy.put(key, count.longValue());
        });
        this.expected = Map.copyOf(copy);
    }

    @Override
    public String description() {
        return what + " " + format(expected);
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
        Tally actual = Tally.of(keys);
        Set<Object> all = new LinkedHashSet<>(expected.keySet());
        all.addAll(actual.keys());
        for (Object key : all) {
            if (actual.count(key) != expected.getOrDefault(key, 0L)) {
                return Optional.of(Violation.of(what + " " + actual + " (expected " + format(expected) + ")"));
            }
        }
        return Optional.empty();
    }

    private static String format(Map<Object, Long> counts) {
        Tally tally = new Tally();
        counts.forEach(tally::add);
        return tally.toString();
    }

    @Override
    public String toString() {
        return description();
    }
}
