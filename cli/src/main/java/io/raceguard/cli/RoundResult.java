package io.raceguard.cli;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * What one round showed.
 *
 * @param number the round, from 1
 * @param statuses how many responses had each status, by status
 * @param releaseSpread how far apart the requests were released
 * @param arrivalSpread how far apart the server saw them arrive, when it echoed its clock
 * @param stateChange the state after the round minus the state before, or {@code null} without {@code --state}
 */
record RoundResult(int number, SortedMap<Integer, Long> statuses, Duration releaseSpread,
        Optional<Duration> arrivalSpread, BigDecimal stateChange) {

    RoundResult {
        statuses = new TreeMap<>(statuses);
    }

    long count(int status) {
        return statuses.getOrDefault(status, 0L);
    }

    /** @return e.g. {@code 200: 1, 409: 19} */
    String statusText() {
        return statuses.entrySet().stream()
                .map(entry -> entry.getKey() + ": " + entry.getValue())
                .collect(Collectors.joining(", "));
    }

    static SortedMap<Integer, Long> histogram(Iterable<Integer> statuses) {
        SortedMap<Integer, Long> histogram = new TreeMap<>();
        for (int status : statuses) {
            histogram.merge(status, 1L, Long::sum);
        }
        return histogram;
    }
}
