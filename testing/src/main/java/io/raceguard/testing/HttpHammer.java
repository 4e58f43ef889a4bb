package io.raceguard.testing;

import static java.util.Objects.requireNonNull;

import io.raceguard.testing.http.HttpRace;
import io.raceguard.testing.http.RaceRequest;
import io.raceguard.testing.http.RaceResponse;
import java.util.function.IntFunction;

/**
 * A hammer that fires HTTP/1.1 requests at a server instead of calling code in-process: each round
 * opens one connection per request, writes every request but its final byte, then releases the final
 * bytes together (see {@link HttpRace}). The round's release skew is the spread of those final
 * writes; when the race names an {@linkplain HttpRace#arrivalHeader(String) arrival header}, the
 * report also gives the spread of arrival times the server saw, which is the race window the server
 * code was actually exposed to.
 *
 * <pre>{@code
 * hammer.http(URI.create("http://127.0.0.1:" + port)).times(20).rounds(10)
 *       .beforeEachRound(shop::resetCoupons)
 *       .request(i -> RaceRequest.post("/coupons/redeem").form(Map.of("code", "SAVE20", "user", "u" + i)))
 *       .expect(Invariant.exactly(1, "redeemed", Statuses.is(200)),
 *               Invariant.none("server errors", Statuses.isServerError()));
 * }</pre>
 *
 * <p>Give every request its own session or credentials where the server serialises a session's
 * requests, or the race is lost before it starts. Immutable and thread-safe.
 */
public final class HttpHammer extends AbstractHammer<HttpHammer> {

    private final HttpRace race;

    HttpHammer(HammerSettings settings, HttpRace race) {
        super(settings);
        this.race = requireNonNull(race, "race");
    }

    @Override
    HttpHammer with(HammerSettings settings) {
        return new HttpHammer(settings, race);
    }

    /**
     * @param request the request every connection sends in a round
     * @return the requests, ready for {@link Hammering#expect} or {@link Hammering#check}
     * @throws NullPointerException if {@code request} is null
     */
    public Hammering<RaceResponse> request(RaceRequest request) {
        requireNonNull(request, "request");
        return request(worker -> request);
    }

    /**
     * @param request builds the request of each connection from its index, so that each can carry its
     *     own user, session or {@code Idempotency-Key}; called for every request of every round
     * @return the requests, ready for {@link Hammering#expect} or {@link Hammering#check}. The run
     *     stops with a {@link HammerException} if the function returns null or a connection, write or
     *     read fails, and with the race's {@link IllegalArgumentException}, before any request is sent,
     *     on a configuration that cannot work (more requests than its {@code maxConnections}); an
     *     exception from the function itself propagates as it is
     * @throws NullPointerException if {@code request} is null
     */
    public Hammering<RaceResponse> request(IntFunction<RaceRequest> request) {
        return new Hammering<>(settings, new HttpVolley(race, request));
    }
}
