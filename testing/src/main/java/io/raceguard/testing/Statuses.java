package io.raceguard.testing;

import io.raceguard.testing.http.RaceResponse;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Predicates and a histogram on HTTP status codes, for the invariants of an {@link HttpHammer}:
 * {@code Invariant.exactly(1, "redeemed", Statuses.is(200))}. Stateless; the predicates and
 * functions it returns are immutable and thread-safe.
 */
public final class Statuses {

    private Statuses() {}

    /**
     * @param status the status code, 100 to 599
     * @return a predicate matching responses with exactly that status
     * @throws IllegalArgumentException if {@code status} is outside 100..599
     */
    public static Predicate<RaceResponse> is(int status) {
        if (status < 100 || status > 599) {
            throw new IllegalArgumentException("status must be between 100 and 599, was " + status);
        }
        return response -> response.status() == status;
    }

    /** @return a predicate matching 2xx responses */
    public static Predicate<RaceResponse> isSuccessful() {
        return response -> response.status() / 100 == 2;
    }

    /** @return a predicate matching 5xx responses */
    public static Predicate<RaceResponse> isServerError() {
        return response -> response.status() / 100 == 5;
    }

    /**
     * @param expected how many responses of each status every round must get, e.g.
     *     {@code Map.of(201, 1, 409, 19)}; statuses not named are expected zero times
     * @return the invariant
     * @throws NullPointerException if {@code expected}, a key or a count is null
     * @throws IllegalArgumentException if a count is negative
     */
    public static Invariant<RaceResponse> histogram(Map<Integer, Integer> expected) {
        return Invariant.histogram("status", RaceResponse::status, expected);
    }
}
