package io.raceguard.benchmarks;

import static io.raceguard.benchmarks.ReleaseSkew.ARRIVAL_HEADER;
import static io.raceguard.benchmarks.ReleaseSkew.CALLS;
import static io.raceguard.benchmarks.ReleaseSkew.micros;
import static io.raceguard.benchmarks.ReleaseSkew.percentile;

import io.raceguard.testing.http.HttpRace;
import io.raceguard.testing.http.RaceRequest;
import io.raceguard.testing.http.RaceResponse;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.http2.server.HTTP2CServerConnectionFactory;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * HTTP/2 single-packet volleys against HTTP/1.1 last-byte sync, at {@value ReleaseSkew#CALLS} requests per
 * volley (not a JMH suite: it prints percentiles and hit rates).
 *
 * <ul>
 *   <li><b>Arrival spread:</b> the spread of the server's arrival stamps, each read when the request's final
 *       byte is read: an {@link ArrivalStampServer} for last-byte sync, an {@link Http2ArrivalStampServer}
 *       (END_STREAM decoded) for single-packet; both one thread on loopback. Volleys interleave.
 *   <li><b>Hit rate:</b> the share of rounds in which more than one request passed a check-then-act whose
 *       window (between reading the count and writing it) is {@value #WINDOW_MICROS} us, on embedded Jetty
 *       (HTTP/1.1 and h2c on one port, a thread per request): single-packet, last-byte sync, and
 *       {@value ReleaseSkew#CALLS} {@link HttpClient#sendAsync} calls on one warmed HTTP/1.1 client.
 * </ul>
 *
 * <p>Usage: {@code java -cp raceguard-benchmarks.jar io.raceguard.benchmarks.SinglePacketRace [rounds]}
 * (default 200).
 */
public final class SinglePacketRace {

    static final long WINDOW_MICROS = 100;
    private static final int WARMUP_VOLLEYS = 20;
    private static final RaceRequest REDEEM = RaceRequest.post("/redeem").form(Map.of("code", "SAVE20"));

    private SinglePacketRace() {}

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        System.out.printf("java %s, %d cores, N=%d, %d rounds%n", Runtime.version(),
                Runtime.getRuntime().availableProcessors(), CALLS, rounds);
        arrivalSpreads(rounds);
        hitRates(rounds);
    }

    private static void arrivalSpreads(int rounds) throws Exception {
        try (ArrivalStampServer http1 = new ArrivalStampServer(ARRIVAL_HEADER);
                Http2ArrivalStampServer http2 = new Http2ArrivalStampServer(ARRIVAL_HEADER)) {
            HttpRace lastByte = HttpRace.to(http1.uri()).arrivalHeader(ARRIVAL_HEADER);
            HttpRace singlePacket = HttpRace.to(http2.uri()).singlePacket().arrivalHeader(ARRIVAL_HEADER);
            List<Long> lastByteSpreads = new ArrayList<>();
            List<Long> singlePacketSpreads = new ArrayList<>();
            for (int i = -WARMUP_VOLLEYS; i < rounds; i++) {
                long lastByteSpread = lastByte.fire(REDEEM, CALLS).arrivalSpread().orElseThrow().toNanos();
                long singlePacketSpread = singlePacket.fire(REDEEM, CALLS).arrivalSpread().orElseThrow().toNanos();
                if (i >= 0) {
                    lastByteSpreads.add(lastByteSpread);
                    singlePacketSpreads.add(singlePacketSpread);
                }
            }
            print("arrival spread, HTTP/1.1 last-byte sync", lastByteSpreads);
            print("arrival spread, HTTP/2 single-packet   ", singlePacketSpreads);
        }
    }

    private static void print(String what, List<Long> spreads) {
        System.out.printf("%s: p50 %s, p90 %s, p99 %s%n", what, micros(percentile(spreads, 50)),
                micros(percentile(spreads, 90)), micros(percentile(spreads, 99)));
    }

    private static void hitRates(int rounds) throws Exception {
        AtomicLong redeemed = new AtomicLong();
        Server server = checkThenActServer(redeemed);
        try {
            URI uri = URI.create("http://127.0.0.1:" + ((ServerConnector) server.getConnectors()[0]).getLocalPort());
            HttpRace lastByte = HttpRace.to(uri);
            HttpRace singlePacket = HttpRace.to(uri).singlePacket();
            HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(5)).build();
            int[] hits = new int[3];
            for (int i = -WARMUP_VOLLEYS; i < rounds; i++) {
                redeemed.set(0);
                boolean singlePacketHit = winners(singlePacket.fire(REDEEM, CALLS).responses()) > 1;
                redeemed.set(0);
                boolean lastByteHit = winners(lastByte.fire(REDEEM, CALLS).responses()) > 1;
                redeemed.set(0);
                boolean sendAsyncHit = sendAsyncWinners(client, uri.resolve("/redeem")) > 1;
                if (i >= 0) {
                    hits[0] += singlePacketHit ? 1 : 0;
                    hits[1] += lastByteHit ? 1 : 0;
                    hits[2] += sendAsyncHit ? 1 : 0;
                }
            }
            System.out.printf("hit rate, %d us check-then-act window: single-packet %d/%d, last-byte sync %d/%d,"
                    + " %d x HttpClient.sendAsync %d/%d%n", WINDOW_MICROS, hits[0], rounds, hits[1], rounds, CALLS,
                    hits[2], rounds);
        } finally {
            server.stop();
        }
    }

    private static long winners(List<RaceResponse> responses) {
        return responses.stream().filter(response -> response.status() == 200).count();
    }

    private static long sendAsyncWinners(HttpClient client, URI redeem) {
        List<CompletableFuture<HttpResponse<Void>>> calls = new ArrayList<>(CALLS);
        for (int i = 0; i < CALLS; i++) {
            calls.add(client.sendAsync(HttpRequest.newBuilder(redeem)
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString("code=SAVE20")).build(),
                    HttpResponse.BodyHandlers.discarding()));
        }
        return calls.stream().map(CompletableFuture::join).filter(response -> response.statusCode() == 200).count();
    }

    /**
     * Jetty with one connector for HTTP/1.1 and h2c; {@code POST /redeem} reads the body, reads the count,
     * spins for the window, and writes the count plus one if it was zero: 200 to a winner, 409 otherwise.
     */
    private static Server checkThenActServer(AtomicLong redeemed) throws Exception {
        Server server = new Server(new QueuedThreadPool(CALLS * 3));
        HttpConfiguration config = new HttpConfiguration();
        ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(config),
                new HTTP2CServerConnectionFactory(config));
        connector.setHost(InetAddress.getLoopbackAddress().getHostAddress());
        connector.setPort(0);
        server.addConnector(connector);
        server.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) throws Exception {
                Content.Source.asString(request, StandardCharsets.UTF_8);
                long seen = redeemed.get();
                boolean won = seen == 0;
                if (won) {
                    long until = System.nanoTime() + WINDOW_MICROS * 1_000;
                    while (System.nanoTime() < until) {
                        Thread.onSpinWait();
                    }
                    redeemed.set(seen + 1);
                }
                response.setStatus(won ? 200 : 409);
                Content.Sink.write(response, true, won ? "redeemed" : "used up", callback);
                return true;
            }
        });
        server.start();
        return server;
    }
}
