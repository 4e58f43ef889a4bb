package io.raceguard.testing.http;

import static io.raceguard.testing.http.TestServer.respond;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

final class HttpRaceTest {

    private static final int VOLLEY = 20;
    private static final int ROUNDS = 5;

    @Test
    void shouldReadFixedLengthResponsesInRequestOrder() throws Exception {
        try (TestServer server = TestServer.http("/", exchange -> respond(exchange, 200,
                "you asked for " + exchange.getRequestURI()))) {

            List<RaceRequest> requests = new ArrayList<>();
            for (int i = 0; i < VOLLEY; i++) {
                requests.add(RaceRequest.get("/items?id=" + i));
            }
            RaceVolley volley = server.race().fire(requests);

            assertThat(volley.responses()).hasSize(VOLLEY);
            for (int i = 0; i < VOLLEY; i++) {
                RaceResponse response = volley.response(i);
                assertThat(response.status()).isEqualTo(200);
                assertThat(response.header("content-length")).hasValue(Integer.toString(response.body().length));
                assertThat(response.bodyText()).isEqualTo("you asked for /items?id=" + i);
            }
        }
    }

    @Test
    void shouldReadChunkedResponses() throws Exception {
        String big = "0123456789".repeat(10_000);
        try (TestServer server = TestServer.http("/", exchange -> {
            exchange.sendResponseHeaders(200, 0);
            for (int part = 0; part < 10; part++) {
                exchange.getResponseBody().write(big.substring(part * 10_000, (part + 1) * 10_000)
                        .getBytes(StandardCharsets.US_ASCII));
                exchange.getResponseBody().flush();
            }
            exchange.close();
        })) {

            RaceVolley volley = server.race().fire(RaceRequest.get("/stream"), 3);

            for (RaceResponse response : volley.responses()) {
                assertThat(response.header("Transfer-Encoding")).hasValue("chunked");
                assertThat(response.bodyText()).isEqualTo(big);
            }
        }
    }

    @Test
    void shouldKeepEveryValueOfARepeatedHeaderUnderAnyCase() throws Exception {
        try (TestServer server = TestServer.http("/", exchange -> {
            exchange.getResponseHeaders().add("Set-Cookie", "a=1");
            exchange.getResponseHeaders().add("Set-Cookie", "b=2");
            respond(exchange, 204, "");
        })) {

            RaceResponse response = server.race().fire(RaceRequest.get("/"), 1).response(0);

            assertThat(response.status()).isEqualTo(204);
            assertThat(response.headerValues("set-cookie")).containsExactly("a=1", "b=2");
            assertThat(response.headers().get("SET-COOKIE")).containsExactly("a=1", "b=2");
            assertThat(response.header("Set-Cookie")).hasValue("a=1");
            assertThat(response.body()).isEmpty();
        }
    }

    @Test
    void shouldSendEachRequestsOwnFormBodyAndHeaders() throws Exception {
        try (TestServer server = TestServer.http("/", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            respond(exchange, 200, exchange.getRequestMethod() + " "
                    + exchange.getRequestHeaders().getFirst("Content-Type") + " "
                    + exchange.getRequestHeaders().getFirst("Authorization") + " " + body);
        })) {

            List<RaceRequest> requests = new ArrayList<>();
            for (int i = 0; i < VOLLEY; i++) {
                Map<String, String> form = new LinkedHashMap<>();
                form.put("code", "SAVE 20&more");
                form.put("user", "user-" + i);
                requests.add(RaceRequest.post("/redeem").header("Authorization", "Bearer token-" + i).form(form));
            }
            RaceVolley volley = server.race().fire(requests);

            for (int i = 0; i < VOLLEY; i++) {
                assertThat(volley.response(i).bodyText()).isEqualTo("POST application/x-www-form-urlencoded"
                        + " Bearer token-" + i + " code=SAVE+20%26more&user=user-" + i);
            }
        }
    }

    @Test
    void shouldLetTheServerSeeABodyOfThousandsOfBytes() throws Exception {
        String json = "{\"items\":\"" + "x".repeat(100_000) + "\"}";
        try (TestServer server = TestServer.http("/", exchange -> respond(exchange, 200,
                exchange.getRequestHeaders().getFirst("Content-Type") + " "
                        + exchange.getRequestBody().readAllBytes().length))) {

            RaceVolley volley = server.race().fire(RaceRequest.of("PUT", "/cart").json(json), 4);

            assertThat(volley.responses()).extracting(RaceResponse::bodyText)
                    .containsOnly("application/json " + json.length());
        }
    }

    @Test
    void shouldCatchANaiveCheckThenActEndpointWithTwentyRequestsReleasedTogether() throws Exception {
        AtomicInteger redeemed = new AtomicInteger();
        try (TestServer server = TestServer.http("/redeem", exchange -> {
            int seen = redeemed.get();
            if (seen >= 1) {
                respond(exchange, 409, "already redeemed");
                return;
            }
            // The work between the check and the write (a query, a call): here, a short pause.
            pause(5);
            redeemed.set(seen + 1);
            respond(exchange, 200, "redeemed");
        })) {

            List<RaceVolley> volleys = new ArrayList<>();
            long mostRedeemed = 0;
            // A loaded machine can stretch one volley's arrivals past the 5 ms window: allow a few rounds.
            for (int round = 0; round < ROUNDS && mostRedeemed <= 1; round++) {
                redeemed.set(0);
                RaceVolley volley = server.race().fire(RaceRequest.post("/redeem"), VOLLEY);
                volleys.add(volley);
                mostRedeemed = Math.max(mostRedeemed, statusCount(volley, 200));
            }

            assertThat(mostRedeemed).as("most coupons redeemed from a limit of one in " + volleys)
                    .isGreaterThan(1);
        }
    }

    @Test
    void shouldFindAnAtomicCheckAndActEndpointHoldingUnderTheSameVolleys() throws Exception {
        AtomicInteger redeemed = new AtomicInteger();
        try (TestServer server = TestServer.http("/redeem", exchange -> {
            boolean won = redeemed.getAndUpdate(seen -> seen >= 1 ? seen : seen + 1) == 0;
            pause(5);
            respond(exchange, won ? 200 : 409, won ? "redeemed" : "already redeemed");
        })) {

            for (int round = 0; round < ROUNDS; round++) {
                redeemed.set(0);
                RaceVolley volley = server.race().fire(RaceRequest.post("/redeem"), VOLLEY);

                assertThat(statusCount(volley, 200)).as("round " + round).isEqualTo(1);
                assertThat(statusCount(volley, 409)).as("round " + round).isEqualTo(VOLLEY - 1);
                assertThat(redeemed).hasValue(1);
            }
        }
    }

    @Test
    void shouldReportTheArrivalSpreadTheServerEchoedInNanoseconds() throws Exception {
        try (TestServer server = TestServer.http("/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            exchange.getResponseHeaders().add("X-Arrival-Nanos", Long.toString(System.nanoTime()));
            respond(exchange, 200, "");
        })) {

            RaceVolley volley = server.race().arrivalHeader("x-arrival-nanos")
                    .fire(RaceRequest.post("/").json("{}"), VOLLEY);

            List<Long> arrivals = volley.responses().stream()
                    .map(response -> Long.parseLong(response.header("X-Arrival-Nanos").orElseThrow()))
                    .toList();
            long spread = arrivals.stream().mapToLong(Long::longValue).max().orElseThrow()
                    - arrivals.stream().mapToLong(Long::longValue).min().orElseThrow();
            assertThat(volley.arrivalSpread()).hasValue(Duration.ofNanos(spread));
        }
    }

    @Test
    void shouldConvertAnArrivalHeaderInMicroseconds() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        try (TestServer server = TestServer.http("/", exchange -> {
            exchange.getResponseHeaders()
                    .add("X-Arrival-Micros", Integer.toString(1_000 + 250 * calls.getAndIncrement()));
            respond(exchange, 200, "");
        })) {

            RaceVolley volley = server.race().arrivalHeader("X-Arrival-Micros", TimeUnit.MICROSECONDS)
                    .fire(RaceRequest.get("/"), 3);

            assertThat(volley.arrivalSpread()).hasValue(Duration.ofNanos(500_000));
        }
    }

    @Test
    void shouldReportNoArrivalSpreadWhenAResponseLacksTheHeaderOrNoneIsNamed() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        try (TestServer server = TestServer.http("/", exchange -> {
            if (calls.getAndIncrement() > 0) {
                exchange.getResponseHeaders().add("X-Arrival-Nanos", Long.toString(System.nanoTime()));
            }
            respond(exchange, 200, "");
        })) {

            assertThat(server.race().arrivalHeader("X-Arrival-Nanos").fire(RaceRequest.get("/"), 3).arrivalSpread())
                    .isEmpty();
            assertThat(server.race().fire(RaceRequest.get("/"), 3).arrivalSpread()).isEmpty();
        }
    }

    @Test
    void shouldMeasureTheReleaseSpreadFromTheReleaseTimesOfTheRequests() throws Exception {
        try (TestServer server = TestServer.http("/", exchange -> respond(exchange, 200, "ok"))) {

            RaceVolley volley = server.race().fire(RaceRequest.get("/"), VOLLEY);

            long first = volley.responses().stream().mapToLong(RaceResponse::releasedAtNanos).min().orElseThrow();
            long last = volley.responses().stream().mapToLong(RaceResponse::releasedAtNanos).max().orElseThrow();
            assertThat(volley.releaseSpread()).isEqualTo(Duration.ofNanos(last - first));
            for (RaceResponse response : volley.responses()) {
                assertThat(response.timeToFirstByte()).isPositive().isLessThanOrEqualTo(response.latency());
            }
        }
    }

    @Test
    void shouldPrefixThePathOfTheBaseUri() throws Exception {
        try (TestServer server = TestServer.http("/", exchange -> respond(exchange, 200,
                exchange.getRequestURI().toString()))) {

            RaceVolley volley = HttpRace.to(server.uri().resolve("/api/v1/"))
                    .fire(RaceRequest.get("/orders?page=2"), 1);

            assertThat(volley.response(0).bodyText()).isEqualTo("/api/v1/orders?page=2");
        }
    }

    private static long statusCount(RaceVolley volley, int status) {
        return volley.responses().stream().filter(response -> response.status() == status).count();
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
