package io.raceguard.testing.http;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * What one {@link HttpRace#fire(List)} produced: the responses in request order and two spreads.
 *
 * <ul>
 *   <li>The <em>release spread</em> is measured here: the largest minus the smallest
 *       {@link System#nanoTime()} read right after each request's final byte was written. It bounds how
 *       far apart the requests left this JVM; it says nothing about the server.
 *   <li>The <em>arrival spread</em> is what the server saw: the largest minus the smallest timestamp the
 *       server echoed in the header named by {@link HttpRace#arrivalHeader(String)}. It is the race
 *       window the server code was exposed to, and it is present only when that header was set and
 *       every response carried a whole number in it.
 * </ul>
 *
 * Response latencies are not a race window and are not reported as one.
 *
 * <p>Immutable and thread-safe.
 */
public final class RaceVolley {

    private final List<RaceResponse> responses;
    private final Duration releaseSpread;
    private final Duration arrivalSpread;

    RaceVolley(List<RaceResponse> responses, Duration releaseSpread, Duration arrivalSpread) {
        this.responses = List.copyOf(responses);
        this.releaseSpread = releaseSpread;
        this.arrivalSpread = arrivalSpread;
    }

    /** @return one response per request, in the order the requests were given; unmodifiable */
    public List<RaceResponse> responses() {
        return responses;
    }

    /**
     * @param index the position of the request in the list given to {@code fire}
     * @return the response to that request
     * @throws IndexOutOfBoundsException if there is no such request
     */
    public RaceResponse response(int index) {
        return responses.get(index);
    }

    /** @return how far apart the final bytes were written: max minus min of the release times */
    public Duration releaseSpread() {
        return releaseSpread;
    }

    /**
     * @return how far apart the server saw the requests arrive, by the timestamps it echoed; empty
     *     when no arrival header was configured or a response lacked a whole number in it
     */
    public Optional<Duration> arrivalSpread() {
        return Optional.ofNullable(arrivalSpread);
    }

    /** @return the number of responses and both spreads in microseconds */
    @Override
    public String toString() {
        return responses.size() + " responses, release spread " + releaseSpread.toNanos() / 1_000 + " us"
                + (arrivalSpread == null ? "" : ", arrival spread " + arrivalSpread.toNanos() / 1_000 + " us");
    }
}
