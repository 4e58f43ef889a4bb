package io.raceguard.benchmarks;

import io.raceguard.idempotency.InMemoryIdempotencyStore;
import io.raceguard.web.IdempotencyFilter;
import io.raceguard.web.PrincipalResolver;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.ee11.servlet.FilterHolder;
import org.eclipse.jetty.ee11.servlet.ServletContextHandler;
import org.eclipse.jetty.ee11.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * What {@link IdempotencyFilter} adds to a request: one POST at a time, over a kept-alive HTTP/1.1
 * connection on loopback, to a small JSON endpoint on embedded Jetty, with the filter on the
 * in-memory store in front ({@code IdempotencyFilter}) or not ({@code none}, the baseline). {@code
 * request}: {@code first} sends a fresh key each time, so the handler runs and its answer is recorded
 * (a claim and a completion: two store calls); {@code replay} sends one completed key again and again,
 * so the filter answers from the store (one claim) and the handler never runs. Without the filter both
 * are the same plain POST.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class IdempotencyFilterBenchmark {

    private static final String BODY = "{\"amount\":100,\"currency\":\"eur\"}";

    @Param({"IdempotencyFilter", "none"})
    String impl;

    @Param({"first", "replay"})
    String request;

    private final AtomicLong keys = new AtomicLong();
    private Server server;
    private HttpClient client;
    private URI charges;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler();
        if (impl.equals("IdempotencyFilter")) {
            IdempotencyFilter filter = IdempotencyFilter.builder(InMemoryIdempotencyStore.create())
                    .requireKey("/charges").principal(PrincipalResolver.constant("bench-client")).build();
            context.addFilter(new FilterHolder(filter), "/*", EnumSet.of(DispatcherType.REQUEST));
        }
        context.addServlet(new ServletHolder(new ChargeServlet()), "/charges");
        server.setHandler(context);
        server.start();
        charges = URI.create("http://127.0.0.1:" + connector.getLocalPort() + "/charges");
        client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        post("replayed-key");
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        server.stop();
    }

    @Benchmark
    public int post() throws IOException, InterruptedException {
        return post(request.equals("replay") ? "replayed-key" : "key-" + keys.incrementAndGet());
    }

    private int post(String key) throws IOException, InterruptedException {
        HttpResponse<byte[]> answer = client.send(HttpRequest.newBuilder(charges)
                .header("Content-Type", "application/json")
                .header(IdempotencyFilter.KEY_HEADER, key)
                .POST(HttpRequest.BodyPublishers.ofString(BODY)).build(), HttpResponse.BodyHandlers.ofByteArray());
        if (answer.statusCode() != 201) {
            throw new IllegalStateException("expected 201, was " + answer.statusCode());
        }
        return answer.body().length;
    }

    /** Reads the body and answers a receipt, as a small charge endpoint would. */
    private static final class ChargeServlet extends HttpServlet {

        private static final long serialVersionUID = 1L;
        private final AtomicLong charges = new AtomicLong();

        @Override
        protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
            byte[] body = request.getInputStream().readAllBytes();
            long charge = charges.incrementAndGet();
            response.setStatus(201);
            response.setContentType("application/json");
            response.setHeader("Location", "/charges/" + charge);
            response.getOutputStream().write(("{\"charge\":" + charge + ",\"bytes\":" + body.length + "}")
                    .getBytes(StandardCharsets.UTF_8));
        }
    }
}
