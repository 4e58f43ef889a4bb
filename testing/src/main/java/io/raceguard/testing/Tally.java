package io.raceguard.testing;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/** How often each key occurs, printed in key order: {@code 200: 1, 409: 19}. Not thread-safe. */
final class Tally {

    private final Map<Object, Long> counts = new LinkedHashMap<>();

    /**
     * @param keys the keys, {@code null} allowed
     * @return their tally
     */
    static Tally of(Iterable<?> keys) {
        Tally tally = new Tally();
        keys.forEach(tally::add);
        return tally;
    }

    /**
     * @param values returned values, {@code null} allowed
     * @param key the key of a value
     * @param <T> the value type
     * @return the tally of their keys
     */
    static <T> Tally byKey(List<T> values, Function<? super T, ?> key) {
        Tally tally = new Tally();
        values.forEach(value -> tally.add(key.apply(value)));
        return tally;
    }

    void add(Object key) {
        add(key, 1);
    }

    void add(Object key, long times) {
        counts.merge(key, times, Long::sum);
    }

    long count(Object key) {
        return counts.getOrDefault(key, 0L);
    }

    Set<Object> keys() {
        return counts.keySet();
    }

    /** @return the keys that occur more than once, in the order they first occurred */
    List<Object> repeated() {
        return counts.entrySet().stream().filter(entry -> entry.getValue() > 1).map(Map.Entry::getKey).toList();
    }

    /** @return {@code key: count} pairs in key order, comma-separated */
    @Override
    public String toString() {
        List<Object> keys = new ArrayList<>(counts.keySet());
        keys.sort(KEY_ORDER);
        return keys.stream().map(key -> Words.shortText(key) + ": " + counts.get(key))
                .collect(Collectors.joining(", "));
    }

    /** Natural order between keys of one comparable type (so 200 comes before 1000), text order otherwise. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    static final Comparator<Object> KEY_ORDER = (left, right) -> {
        if (left instanceof Comparable comparable && right != null && left.getClass() == right.getClass()) {
            return comparable.compareTo(right);
        }
        return String.valueOf(left).compareTo(String.valueOf(right));
    };
}
