package io.raceguard.examples.demo;

import java.time.Duration;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * One volley of concurrent requests at one endpoint, after a reset.
 *
 * @param observed the state changes the shop showed afterwards
 * @param statuses how many responses had each status, kept in status order
 * @param releaseSpread how far apart the requests' final bytes left this process
 * @param arrivalSpread how far apart the shop saw the requests arrive, if every response said
 */
record Round(long observed, Map<Integer, Long> statuses, Duration releaseSpread, Optional<Duration> arrivalSpread) {

    Round {
        statuses = Collections.unmodifiableMap(new TreeMap<>(statuses));
    }

    long serverErrors() {
        return statuses.entrySet().stream()
                .filter(status -> status.getKey() >= 500)
                .mapToLong(status -> status.getValue())
                .sum();
    }

    /** @return e.g. {@code 1x200 19x409} */
    String statusText() {
        StringBuilder text = new StringBuilder();
        statuses.forEach((status, count) ->
                text.append(text.length() == 0 ? "" : " ").append(count).append('x').append(status));
        return text.toString();
    }
}
