package io.raceguard.benchmarks;

import static io.raceguard.benchmarks.ReleaseSkew.ARRIVAL_HEADER;
import static io.raceguard.benchmarks.ReleaseSkew.CALLS;
import static io.raceguard.benchmarks.ReleaseSkew.micros;
import static io.raceguard.benchmarks.ReleaseSkew.percentile;

import io.raceguard.testing.http.HttpRace;
import io.raceguard.testing.http.RaceRequest;
import io.raceguard.testing.http.RaceVolley;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The spreads measured at one server that echoes its arrival stamp in {@value ReleaseSkew#ARRIVAL_HEADER}:
 * {@link HttpRace} volleys (client-side release spread and server-observed arrival spread) and volleys of
 * {@value ReleaseSkew#CALLS} {@link HttpClient#sendAsync} calls (arrival spread), one of each per
 * {@link #volley(boolean)}. Not thread-safe.
 */
final class HttpSpreads {

    private static final String BODY = "{\"coupon\":\"SAVE20\"}";
    private static final RaceRequest RACE_REQUEST = RaceRequest.post("/redeem").json(BODY);

    private final String server;
    private final HttpRace race;
    private final HttpClient client;
    private final HttpRequest clientRequest;
    private final List<Long> raceRelease = new ArrayList<>();
    private final List<Long> raceArrival = new ArrayList<>();
    private final List<Long> sendAsyncArrival = new ArrayList<>();

    /**
     * @param server how the server stamps arrivals, for the printed lines
     * @param client the one HTTP/1.1 client every volley of {@code sendAsync} calls shares, so that its
     *     connections are warm
     */
    HttpSpreads(String server, URI base, HttpClient client) {
        this.server = server;
        this.race = HttpRace.to(base).arrivalHeader(ARRIVAL_HEADER);
        this.client = client;
        this.clientRequest = HttpRequest.newBuilder(base.resolve("/redeem"))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(BODY))
                .build();
    }

    /**
     * Fires one {@code HttpRace} volley, then one volley of {@code sendAsync} calls, keeping their spreads if
     * {@code recorded}.
     */
    void volley(boolean recorded) throws Exception {
        RaceVolley volley = race.fire(RACE_REQUEST, CALLS);
        long sendAsync = sendAsyncSpread();
        if (recorded) {
            raceRelease.add(volley.releaseSpread().toNanos());
            raceArrival.add(volley.arrivalSpread()
                    .orElseThrow(() -> new IllegalStateException(server + " echoed no arrival")).toNanos());
            sendAsyncArrival.add(sendAsync);
        }
    }

    void print() {
        long raceP50 = percentile(raceArrival, 50);
        long sendAsyncP50 = percentile(sendAsyncArrival, 50);
        System.out.printf("http, %s, N=%d, %d volleys each:%n", server, CALLS, raceArrival.size());
        System.out.printf("  last-byte sync (HttpRace): arrival spread p50 %s, p99 %s; client-side release spread"
                + " p50 %s, p99 %s%n", micros(raceP50), micros(percentile(raceArrival, 99)),
                micros(percentile(raceRelease, 50)), micros(percentile(raceRelease, 99)));
        System.out.printf("  HttpClient.sendAsync x%d: arrival spread p50 %s, p99 %s%n", CALLS, micros(sendAsyncP50),
                micros(percentile(sendAsyncArrival, 99)));
        System.out.printf("  p50 ratio sendAsync / last-byte sync: %.1fx tighter%n", (double) sendAsyncP50 / raceP50);
    }

    /** Starts {@value ReleaseSkew#CALLS} calls back to back and returns the spread of the server's arrival stamps. */
    private long sendAsyncSpread() throws Exception {
        List<CompletableFuture<HttpResponse<Void>>> responses = new ArrayList<>(CALLS);
        for (int i = 0; i < CALLS; i++) {
            responses.add(client.sendAsync(clientRequest, HttpResponse.BodyHandlers.discarding()));
        }
        long min = Long.MAX_VALUE;
        long max = Long.MIN_VALUE;
        for (CompletableFuture<HttpResponse<Void>> response : responses) {
            String echoed = response.get(30, TimeUnit.SECONDS).headers().firstValue(ARRIVAL_HEADER)
                    .orElseThrow(() -> new IOException(server + " echoed no arrival"));
            long arrival = Long.parseLong(echoed);
            min = Math.min(min, arrival);
            max = Math.max(max, arrival);
        }
        return max - min;
    }
}
