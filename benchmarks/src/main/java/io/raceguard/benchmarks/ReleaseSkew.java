package io.raceguard.benchmarks;

import com.sun.net.httpserver.HttpServer;
import io.raceguard.testing.Hammer;
import io.raceguard.testing.HammerReport;
import io.raceguard.testing.http.HttpRace;
import io.raceguard.testing.http.RaceRequest;
import io.raceguard.testing.http.RaceVolley;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * How tightly the race tools release their calls, at {@value #CALLS} calls per round (not a JMH
 * suite: it prints percentiles rather than throughput).
 *
 * <ul>
 *   <li><b>In-process hammer:</b> the per-round release skew of {@link Hammer} firing a call that
 *       blocks for {@value #IO_MILLIS} ms, as an I/O-bound handler would, on platform threads and, on
 *       Java 21 and later, on virtual threads.
 *   <li><b>HTTP/1.1 last-byte sync:</b> against a JDK {@link HttpServer} on loopback that echoes, in
 *       {@value #ARRIVAL_HEADER}, its {@link System#nanoTime()} once it has read the whole request:
 *       the server-observed arrival spread of {@link HttpRace} against {@value #CALLS}
 *       {@link HttpClient#sendAsync} calls sent together, volleys of the two interleaved.
 * </ul>
 *
 * <p>Usage: {@code java -cp raceguard-benchmarks.jar io.raceguard.benchmarks.ReleaseSkew [rounds]};
 * run it with a Java 21+ {@code java} to include virtual threads.
 */
public final class ReleaseSkew {

    static final int CALLS = 20;
    static final int IO_MILLIS = 1;
    static final String ARRIVAL_HEADER = "X-Arrival-Nanos";
    private static final int WARMUP_VOLLEYS = 20;

    private ReleaseSkew() {}

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        System.out.printf("java %s, %d cores, load average %.2f%n", Runtime.version(),
                Runtime.getRuntime().availableProcessors(),
                java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        hammer("platform threads", Hammer.create().onPlatformThreads(), rounds);
        if (Runtime.version().feature() >= 21) {
            hammer("virtual threads", Hammer.create().onVirtualThreads(), rounds);
        }
        http(rounds);
    }

    private static void hammer(String threads, Hammer hammer, int rounds) {
        HammerReport<Integer> report = hammer.times(CALLS).rounds(rounds).within(Duration.ofMinutes(3))
                .withoutShrinking()
                .fire(worker -> {
                    Thread.sleep(IO_MILLIS);
                    return worker;
                })
                .check();
        System.out.printf("hammer, %s, N=%d, %d rounds, %d ms sleep: release skew p50 %s, p99 %s%n",
                threads, CALLS, report.rounds().size(), IO_MILLIS, micros(report.releaseSkew(50)),
                micros(report.releaseSkew(99)));
    }

    private static void http(int rounds) throws Exception {
        ExecutorService handlers = Executors.newFixedThreadPool(CALLS * 2);
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 128);
        server.setExecutor(handlers);
        server.createContext("/", exchange -> {
            try (InputStream body = exchange.getRequestBody()) {
                body.readAllBytes();
            }
            long arrival = System.nanoTime();
            exchange.getResponseHeaders().add(ARRIVAL_HEADER, Long.toString(arrival));
            byte[] ok = "ok".getBytes(StandardCharsets.US_ASCII);
            exchange.sendResponseHeaders(200, ok.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(ok);
            }
        });
        server.start();
        URI base = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
        HttpRace race = HttpRace.to(base).arrivalHeader(ARRIVAL_HEADER);
        RaceRequest raceRequest = RaceRequest.post("/redeem").json("{\"coupon\":\"SAVE20\"}");
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        HttpRequest clientRequest = HttpRequest.newBuilder(base.resolve("/redeem"))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"coupon\":\"SAVE20\"}"))
                .build();
        try {
            for (int i = 0; i < WARMUP_VOLLEYS; i++) {
                race.fire(raceRequest, CALLS);
                sendAsyncSpread(client, clientRequest);
            }
            List<Long> lastByte = new ArrayList<>(rounds);
            List<Long> lastByteRelease = new ArrayList<>(rounds);
            List<Long> sendAsync = new ArrayList<>(rounds);
            for (int i = 0; i < rounds; i++) {
                RaceVolley volley = race.fire(raceRequest, CALLS);
                lastByte.add(volley.arrivalSpread()
                        .orElseThrow(() -> new IllegalStateException("the server echoed no arrival")).toNanos());
                lastByteRelease.add(volley.releaseSpread().toNanos());
                sendAsync.add(sendAsyncSpread(client, clientRequest));
            }
            long lastByteP50 = percentile(lastByte, 50);
            long sendAsyncP50 = percentile(sendAsync, 50);
            System.out.printf("http, last-byte sync (HttpRace), N=%d, %d volleys: arrival spread p50 %s, p99 %s%n",
                    CALLS, rounds, micros(lastByteP50), micros(percentile(lastByte, 99)));
            System.out.printf("http, last-byte sync (HttpRace), client-side release spread p50 %s, p99 %s%n",
                    micros(percentile(lastByteRelease, 50)), micros(percentile(lastByteRelease, 99)));
            System.out.printf("http, HttpClient.sendAsync x%d, %d volleys: arrival spread p50 %s, p99 %s%n",
                    CALLS, rounds, micros(sendAsyncP50), micros(percentile(sendAsync, 99)));
            System.out.printf("http, p50 ratio sendAsync / last-byte sync: %.1fx tighter%n",
                    (double) sendAsyncP50 / lastByteP50);
        } finally {
            server.stop(0);
            handlers.shutdownNow();
            handlers.awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    /** Sends {@value #CALLS} copies at once and returns the spread of the server's arrival stamps. */
    private static long sendAsyncSpread(HttpClient client, HttpRequest request) throws Exception {
        List<CompletableFuture<HttpResponse<Void>>> responses = new ArrayList<>(CALLS);
        for (int i = 0; i < CALLS; i++) {
            responses.add(client.sendAsync(request, HttpResponse.BodyHandlers.discarding()));
        }
        long min = Long.MAX_VALUE;
        long max = Long.MIN_VALUE;
        for (CompletableFuture<HttpResponse<Void>> response : responses) {
            String echoed = response.get(30, TimeUnit.SECONDS).headers().firstValue(ARRIVAL_HEADER)
                    .orElseThrow(() -> new IOException("the server echoed no arrival"));
            long arrival = Long.parseLong(echoed);
            min = Math.min(min, arrival);
            max = Math.max(max, arrival);
        }
        return max - min;
    }

    private static long percentile(List<Long> values, int percent) {
        List<Long> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int rank = (int) Math.ceil(percent / 100.0 * sorted.size());
        return sorted.get(Math.max(0, rank - 1));
    }

    private static String micros(Duration duration) {
        return micros(duration.toNanos());
    }

    private static String micros(long nanos) {
        return String.format("%.1f us", nanos / 1000.0);
    }
}
