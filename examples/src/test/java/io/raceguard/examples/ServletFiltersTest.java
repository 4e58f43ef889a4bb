package io.raceguard.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.raceguard.idempotency.InMemoryIdempotencyStore;
import io.raceguard.limit.InMemoryRateLimiter;
import io.raceguard.limit.RateLimit;
import io.raceguard.web.IdempotencyFilter;
import io.raceguard.web.PrincipalResolver;
import io.raceguard.web.RateLimitFilter;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.EnumSet;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.ee11.servlet.FilterHolder;
import org.eclipse.jetty.ee11.servlet.ServletContextHandler;
import org.eclipse.jetty.ee11.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.Test;

/** The README's Servlet filters section, compiled and run on embedded Jetty. */
final class ServletFiltersTest {

    private static final AtomicInteger CHARGES = new AtomicInteger();

    @Test
    void shouldChargeOnceAndReplayTheRetry() throws Exception {
        // quickstart:servlet-filters
        IdempotencyFilter idempotency = IdempotencyFilter.builder(InMemoryIdempotencyStore.create()) // or JDBC, Redis
                .requireKey("/charges")                                // a POST or PATCH without a key: 400
                .principal(PrincipalResolver.header("X-Api-Client"))  // whose keys these are: mandatory
                .retention(Duration.ofHours(24))                      // the published expiry policy
                .build();
        RateLimitFilter rateLimits = RateLimitFilter.builder()        // keyed by client address by default
                .limit("/login", InMemoryRateLimiter.create(RateLimit.slidingWindow(5, Duration.ofMinutes(1))))
                .build();

        ServletContextHandler context = new ServletContextHandler();  // Jetty 12; any Servlet 6 container works
        context.addFilter(new FilterHolder(rateLimits), "/*", EnumSet.of(DispatcherType.REQUEST));
        context.addFilter(new FilterHolder(idempotency), "/*", EnumSet.of(DispatcherType.REQUEST));
        context.addServlet(new ServletHolder(new ChargeServlet()), "/charges");
        // end
        Server server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        server.addConnector(connector);
        server.setHandler(context);
        server.start();
        try {
            URI charges = URI.create("http://127.0.0.1:" + connector.getLocalPort() + "/charges");
            String key = UUID.randomUUID().toString();
            HttpResponse<String> first = charge(charges, key);
            HttpResponse<String> retry = charge(charges, key);

            assertThat(first.statusCode()).isEqualTo(201);
            assertThat(retry.statusCode()).isEqualTo(201);
            assertThat(retry.body()).isEqualTo(first.body());
            assertThat(retry.headers().firstValue(IdempotencyFilter.REPLAYED_HEADER)).hasValue("true");
            assertThat(CHARGES).hasValue(1);
        } finally {
            server.stop();
        }
    }

    private static HttpResponse<String> charge(URI charges, String key) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(charges)
                .header("X-Api-Client", "client-42")
                .header(IdempotencyFilter.KEY_HEADER, key)
                .POST(HttpRequest.BodyPublishers.ofString("amount=100"))
                .build();
        return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
    }

    /** Charges on every call it gets: the filter in front makes the retries safe. */
    private static final class ChargeServlet extends HttpServlet {

        private static final long serialVersionUID = 1L;

        @Override
        protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
            int charge = CHARGES.incrementAndGet();
            response.setStatus(201);
            response.setContentType("application/json");
            response.setHeader("Location", "/charges/" + charge);
            response.getWriter().write("{\"charge\":" + charge + "}");
        }
    }
}
