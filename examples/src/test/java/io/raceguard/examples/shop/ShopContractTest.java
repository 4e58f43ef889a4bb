package io.raceguard.examples.shop;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The shop's HTTP contract, one request at a time, in both modes: what a curl user sees. */
final class ShopContractTest {

    private static final String START =
            "{\"coupon_redemptions\":0,\"balances\":{\"1\":200,\"2\":0},\"users\":0,\"orders\":0,\"stock\":1,"
                    + "\"login_attempts_allowed\":0,\"charges\":0,"
                    + "\"order_settlements\":0}";

    private static final byte SETTINGS_FRAME = 4;

    private static Shop shop;
    private static HttpClient http;

    @BeforeAll
    static void startShop() throws IOException {
        shop = Shop.start(new ShopSettings(0, Duration.ofMillis(1), Optional.empty(), Optional.empty()));
        http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    }

    @AfterAll
    static void stopShop() {
        shop.close();
    }

    @BeforeEach
    void reset() {
        assertThat(post("/reset", "").statusCode()).isEqualTo(200);
    }

    @Test
    void shouldSpeakCleartextHttp2WithPriorKnowledgeOnTheSamePort() throws IOException {
        try (Socket socket = new Socket(shop.uri().getHost(), shop.uri().getPort())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.write(new byte[] {0, 0, 0, SETTINGS_FRAME, 0, 0, 0, 0, 0});
            out.flush();

            byte[] frameHeader = socket.getInputStream().readNBytes(9);

            assertThat(frameHeader).hasSize(9);
            assertThat(frameHeader[3]).as("the server's first frame is its SETTINGS").isEqualTo(SETTINGS_FRAME);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"naive", "guarded"})
    void shouldStartFromTheDocumentedState(String mode) {
        HttpResponse<String> state = get("/state/" + mode);

        assertThat(state.statusCode()).isEqualTo(200);
        assertThat(state.body()).isEqualTo(START);
        assertThat(state.headers().firstValue("Content-Type")).hasValue("application/json;charset=utf-8");
    }

    @ParameterizedTest
    @ValueSource(strings = {"naive", "guarded"})
    void shouldRedeemTheCouponOnce(String mode) {
        assertThat(post("/" + mode + "/coupons/redeem", "code=SAVE20&user=u1").statusCode()).isEqualTo(200);
        assertThat(post("/" + mode + "/coupons/redeem", "code=SAVE20&user=u2").statusCode()).isEqualTo(409);
        assertThat(post("/" + mode + "/coupons/redeem", "code=NOPE&user=u2").statusCode()).isEqualTo(404);
        assertThat(get("/state/" + mode).body()).contains("\"coupon_redemptions\":1,");
    }

    @ParameterizedTest
    @ValueSource(strings = {"naive", "guarded"})
    void shouldTransferWhileFundsLast(String mode) {
        assertThat(post("/" + mode + "/transfer", "from=1&to=2&amount=100").statusCode()).isEqualTo(200);
        assertThat(post("/" + mode + "/transfer", "from=1&to=2&amount=100").statusCode()).isEqualTo(200);
        assertThat(post("/" + mode + "/transfer", "from=1&to=2&amount=100").statusCode()).isEqualTo(400);
        assertThat(post("/" + mode + "/transfer", "from=1&to=3&amount=100").statusCode()).isEqualTo(404);
        assertThat(post("/" + mode + "/transfer", "from=1&to=1&amount=100").statusCode()).isEqualTo(400);
        assertThat(get("/state/" + mode).body()).contains("\"balances\":{\"1\":0,\"2\":200}");
    }

    @ParameterizedTest
    @ValueSource(strings = {"naive", "guarded"})
    void shouldTakeAnEmailOnceWhateverItsCase(String mode) {
        assertThat(post("/" + mode + "/signup", "email=Alice%40Example.com").statusCode()).isEqualTo(201);
        assertThat(post("/" + mode + "/signup", "email=alice%40example.COM").statusCode()).isEqualTo(409);
        assertThat(post("/" + mode + "/signup", "email=not-an-address").statusCode()).isEqualTo(400);
        assertThat(get("/state/" + mode).body()).contains("\"users\":1,");
    }

    @ParameterizedTest
    @ValueSource(strings = {"naive", "guarded"})
    void shouldSellTheLastItemOnce(String mode) {
        assertThat(post("/" + mode + "/orders", "item=99").statusCode()).isEqualTo(201);
        assertThat(post("/" + mode + "/orders", "item=99").statusCode()).isEqualTo(409);
        assertThat(post("/" + mode + "/orders", "item=7").statusCode()).isEqualTo(404);
        assertThat(get("/state/" + mode).body()).contains("\"orders\":1,\"stock\":0,");
    }

    @ParameterizedTest
    @ValueSource(strings = {"naive", "guarded"})
    void shouldCancelOrShipTheOrderButNeverBoth(String mode) {
        assertThat(post("/" + mode + "/fulfilment", "order=7&action=cancel").statusCode()).isEqualTo(200);
        assertThat(post("/" + mode + "/fulfilment", "order=7&action=ship").statusCode()).isEqualTo(409);
        assertThat(post("/" + mode + "/fulfilment", "order=7&action=cancel").statusCode()).isEqualTo(409);
        assertThat(post("/" + mode + "/fulfilment", "order=8&action=ship").statusCode()).isEqualTo(404);
        assertThat(post("/" + mode + "/fulfilment", "order=7&action=return").statusCode()).isEqualTo(400);
        assertThat(get("/state/" + mode).body()).contains("\"order_settlements\":1}");
    }

    @ParameterizedTest
    @ValueSource(strings = {"naive", "guarded"})
    void shouldRefuseTheSixthLoginAttemptInAMinute(String mode) {
        assertThat(post("/" + mode + "/login", "user=alice&password=wonderland").statusCode()).isEqualTo(200);
        for (int attempt = 2; attempt <= 5; attempt++) {
            assertThat(post("/" + mode + "/login", "user=alice&password=guess" + attempt).statusCode()).isEqualTo(401);
        }
        assertThat(post("/" + mode + "/login", "user=alice&password=wonderland").statusCode()).isEqualTo(429);
        assertThat(get("/state/" + mode).body()).contains("\"login_attempts_allowed\":5,");
    }

    @Test
    void shouldForgetLoginAttemptsOnReset() {
        for (int attempt = 1; attempt <= 5; attempt++) {
            post("/guarded/login", "user=alice&password=guess" + attempt);
        }
        assertThat(post("/guarded/login", "user=alice&password=wonderland").statusCode()).isEqualTo(429);

        reset();

        assertThat(post("/guarded/login", "user=alice&password=wonderland").statusCode()).isEqualTo(200);
    }

    @Test
    void shouldChargeOncePerIdempotencyKeyWhenGuarded() {
        HttpResponse<String> first = charge("guarded", "amount=100", "key-1");
        HttpResponse<String> retry = charge("guarded", "amount=100", "key-1");

        assertThat(first.statusCode()).isEqualTo(201);
        assertThat(retry.statusCode()).isEqualTo(201);
        assertThat(retry.body().getBytes(StandardCharsets.UTF_8))
                .isEqualTo(first.body().getBytes(StandardCharsets.UTF_8));
        assertThat(headersButTiming(retry)).isEqualTo(headersButTiming(first));
        assertThat(retry.headers().firstValue("Idempotent-Replayed")).hasValue("true");
        assertThat(first.headers().firstValue("Idempotent-Replayed")).isEmpty();
        assertThat(headersButTiming(first)).containsKeys("Content-Type", "Content-Length");
        assertThat(charge("guarded", "amount=200", "key-1").statusCode()).isEqualTo(422);
        assertThat(post("/guarded/charge", "amount=100").statusCode()).isEqualTo(400);
        assertThat(get("/state/guarded").body()).contains("\"charges\":1,");
    }

    @Test
    void shouldChargeWithoutKeyAndReplayAFinishedChargeWhenNaive() {
        assertThat(post("/naive/charge", "amount=100").statusCode()).isEqualTo(201);
        assertThat(charge("naive", "amount=100", "key-1").statusCode()).isEqualTo(201);
        assertThat(charge("naive", "amount=100", "key-1").statusCode()).isEqualTo(200);
        assertThat(get("/state/naive").body()).contains("\"charges\":2,");
    }

    @Test
    void shouldEchoTheArrivalTimeOnEveryResponse() {
        HttpResponse<String> reply = post("/naive/orders", "item=99");
        HttpResponse<String> refused = get("/naive/orders");

        assertThat(reply.headers().firstValue(Shop.ARRIVAL_HEADER)).hasValueSatisfying(
                nanos -> assertThat(Long.parseLong(nanos)).isLessThanOrEqualTo(System.nanoTime()));
        assertThat(refused.statusCode()).isEqualTo(405);
        assertThat(refused.headers().firstValue(Shop.ARRIVAL_HEADER)).isPresent();
    }

    @Test
    void shouldAnswerUnknownPathsAndBadFieldsAsClientErrors() {
        assertThat(post("/careless/orders", "item=99").statusCode()).isEqualTo(404);
        assertThat(get("/state/careless").statusCode()).isEqualTo(404);
        assertThat(post("/guarded/orders", "item=ninety-nine").statusCode()).isEqualTo(400);
        assertThat(post("/guarded/transfer", "from=1&to=2").body())
                .isEqualTo("{\"error\":\"field amount is required\"}");
    }

    /** @return the header fields but those that tell two answers apart in time, and the replay marker */
    private static Map<String, List<String>> headersButTiming(HttpResponse<String> response) {
        Map<String, List<String>> fields = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        fields.putAll(response.headers().map());
        List.of("Date", Shop.ARRIVAL_HEADER, "Idempotent-Replayed").forEach(fields::remove);
        return fields;
    }

    private static HttpResponse<String> charge(String mode, String form, String key) {
        return send(HttpRequest.newBuilder(shop.uri().resolve("/" + mode + "/charge"))
                .header("Idempotency-Key", key)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)));
    }

    private static HttpResponse<String> post(String path, String form) {
        return send(HttpRequest.newBuilder(shop.uri().resolve(path))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)));
    }

    private static HttpResponse<String> get(String path) {
        return send(HttpRequest.newBuilder(shop.uri().resolve(path)).GET());
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return http.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException failed) {
            throw new IllegalStateException(failed);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(interrupted);
        }
    }
}
