package io.raceguard.benchmarks;

import com.sun.net.httpserver.HttpServer;
import io.raceguard.testing.Hammer;
import io.raceguard.testing.HammerReport;
import io.raceguard.testing.http.HttpRace;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
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
 *   <li><b>HTTP/1.1 last-byte sync:</b> the server-observed arrival spread of {@link HttpRace} against
 *       that of {@value #CALLS} {@link HttpClient#sendAsync} calls started back to back on one shared,
 *       warmed HTTP/1.1 client, at two servers on loopback that echo a {@link System#nanoTime()} in
 *       {@value #ARRIVAL_HEADER}: a JDK {@link HttpServer} whose handler stamps once it has read the
 *       body (so the stamps include waking {@value #CALLS} handler threads), and an
 *       {@link ArrivalStampServer} that stamps when its one selector thread reads each request's final
 *       byte (the race window the requests themselves open). Volleys of the four kinds interleave.
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
        HttpServer handlerStamped = handlerStampedServer(handlers);
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        try (ArrivalStampServer finalByteStamped = new ArrivalStampServer(ARRIVAL_HEADER)) {
            List<HttpSpreads> servers = List.of(
                    new HttpSpreads("JDK HttpServer, stamped by its handler after reading the body",
                            URI.create("http://127.0.0.1:" + handlerStamped.getAddress().getPort()), client),
                    new HttpSpreads("NIO server, stamped when it reads the final byte", finalByteStamped.uri(),
                            client));
            for (int i = -WARMUP_VOLLEYS; i < rounds; i++) {
                for (HttpSpreads server : servers) {
                    server.volley(i >= 0);
                }
            }
            servers.forEach(HttpSpreads::print);
        } finally {
            handlerStamped.stop(0);
            handlers.shutdownNow();
            handlers.awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    /** A JDK server whose handler reads the whole body, then echoes its {@link System#nanoTime()}. */
    private static HttpServer handlerStampedServer(ExecutorService handlers) throws IOException {
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
        return server;
    }

    static long percentile(List<Long> values, int percent) {
        List<Long> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int rank = (int) Math.ceil(percent / 100.0 * sorted.size());
        return sorted.get(Math.max(0, rank - 1));
    }

    private static String micros(Duration duration) {
        return micros(duration.toNanos());
    }

    static String micros(long nanos) {
        return String.format("%.1f us", nanos / 1000.0);
    }
}
