package io.raceguard.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.raceguard.idempotency.InMemoryIdempotencyStore;
import io.raceguard.testing.http.HttpRace;
import io.raceguard.testing.http.RaceRequest;
import io.raceguard.testing.http.RaceResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The filter's protocol, each case asserted on what went over the wire, in a plain Jetty 12 {@code
 * ServletContextHandler}: the status, header fields and body bytes of every answer, and how often the
 * handler ran.
 */
final class IdempotencyFilterTest {

    private static final String USER = "X-User";
    private static final int MAX_REQUEST_BYTES = 64;
    private static final int MAX_RESPONSE_BYTES = 1024;

    private final ChargeServlet charges = new ChargeServlet(0);
    private final ChargeServlet optional = new ChargeServlet(0);
    private final CountingStore store = new CountingStore(InMemoryIdempotencyStore.create());
    private JettyApp app;
    private HttpRace http;

    @BeforeEach
    void start() throws Exception {
        IdempotencyFilter filter = IdempotencyFilter.builder(store)
                .requireKey("/charges")
                .acceptKey("/optional/*")
                .principal(PrincipalResolver.header(USER))
                .storedHeaders("X-Charge-Id")
                .maxRequestBytes(MAX_REQUEST_BYTES)
                .maxResponseBytes(MAX_RESPONSE_BYTES)
                .lease(Duration.ofSeconds(30))
                .build();
        app = JettyApp.routes().filter(filter).servlet("/charges", charges).servlet("/optional/*", optional).start();
        http = HttpRace.to(app.uri());
    }

    @AfterEach
    void stop() throws Exception {
        app.close();
    }

    @Test
    void shouldReplayTheFirstAnswerByteForByteWithItsStoredHeadersAndTheReplayMarker() {
        String key = UUID.randomUUID().toString();

        RaceResponse first = send(charge(key, "amount=100"));
        RaceResponse retry = send(charge(key, "amount=100"));

        assertThat(first.status()).isEqualTo(201);
        assertThat(first.bodyText()).isEqualTo("{\"charge\":1,\"request\":\"amount=100\"}");
        assertThat(first.header(IdempotencyFilter.REPLAYED_HEADER)).isEmpty();
        assertThat(retry.status()).isEqualTo(201);
        assertThat(retry.body()).isEqualTo(first.body());
        for (String stored : new String[] {"Content-Type", "Location", "X-Charge-Id", "Content-Length"}) {
            assertThat(retry.headerValues(stored)).as(stored).isEqualTo(first.headerValues(stored)).isNotEmpty();
        }
        assertThat(retry.header(IdempotencyFilter.REPLAYED_HEADER)).contains("true");
        assertThat(first.header("X-Not-Stored")).contains("transient");
        assertThat(retry.header("X-Not-Stored")).as("a header not in the stored list").isEmpty();
        assertThat(charges.charges()).isEqualTo(1);
    }

    @Test
    void shouldReadTheKeyAsAnSfStringOrABareToken() {
        send(charge("\"order-7/a:b\"", "amount=100"));
        RaceResponse bare = send(charge("order-7/a:b", "amount=100"));
        RaceResponse escaped = send(charge("\"q\\\"uote\"", "amount=100"));

        assertThat(bare.header(IdempotencyFilter.REPLAYED_HEADER)).as("the same key, quoted and bare").contains("true");
        assertThat(escaped.status()).isEqualTo(201);
        assertThat(charges.charges()).isEqualTo(2);
    }

    @Test
    void shouldRefuseMissingMalformedAndOversizeKeysWith400BeforeTheStore() {
        RaceResponse missing = send(RaceRequest.post("/charges").header(USER, "alice").form(Map.of("a", "1")));
        RaceResponse unclosed = send(charge("\"abc", "amount=100"));
        RaceResponse badEscape = send(charge("\"a\\b\"", "amount=100"));
        RaceResponse space = send(charge("a b", "amount=100"));
        RaceResponse empty = send(charge("\"\"", "amount=100"));
        RaceResponse oversize = send(charge("k".repeat(256), "amount=100"));
        RaceResponse twice = send(charge("k1", "amount=100").header(IdempotencyFilter.KEY_HEADER, "k2"));

        for (RaceResponse refused : new RaceResponse[] {missing, unclosed, badEscape, space, empty, oversize, twice}) {
            assertThat(refused.status()).isEqualTo(400);
            assertThat(refused.header("Content-Type")).hasValueSatisfying(
                    type -> assertThat(type).startsWith(Problem.CONTENT_TYPE));
            assertThat(refused.bodyText()).contains("\"status\":400", "\"title\":\"Bad Request\"");
        }
        assertThat(missing.bodyText()).contains("requires the Idempotency-Key header");
        assertThat(oversize.bodyText()).contains("at most 255 characters");
        assertThat(send(charge("k".repeat(255), "amount=100")).status()).isEqualTo(201);
        assertThat(charges.charges()).isEqualTo(1);
    }

    @Test
    void shouldLetNoBadInputReachTheStore() {
        send(RaceRequest.post("/charges").header(USER, "alice").form(Map.of("a", "1")));
        send(charge("\"abc", "amount=100"));
        send(charge("k".repeat(256), "amount=100"));
        send(charge("big", "x".repeat(MAX_REQUEST_BYTES + 1)));
        send(RaceRequest.post("/charges").header(IdempotencyFilter.KEY_HEADER, "no-user").form(Map.of()));

        assertThat(store.calls()).as("calls that reached the store").isZero();
        assertThat(charges.charges()).isZero();
    }

    @Test
    void shouldAnswer422ToTheSameKeyWithAnotherBodyOrQuery() {
        String key = UUID.randomUUID().toString();
        send(charge(key, "amount=100"));

        RaceResponse otherBody = send(charge(key, "amount=999"));
        RaceResponse otherQuery = send(RaceRequest.post("/charges?currency=eur").header(USER, "alice")
                .header(IdempotencyFilter.KEY_HEADER, key).body("text/plain", bytes("amount=100")));
        RaceResponse otherType = send(RaceRequest.post("/charges").header(USER, "alice")
                .header(IdempotencyFilter.KEY_HEADER, key).body("application/json", bytes("amount=100")));

        assertThat(otherBody.status()).isEqualTo(422);
        assertThat(otherQuery.status()).isEqualTo(422);
        assertThat(otherType.status()).isEqualTo(422);
        assertThat(otherBody.bodyText()).contains("\"title\":\"Unprocessable Content\"").doesNotContain(key);
        assertThat(charges.charges()).isEqualTo(1);
    }

    @Test
    void shouldNeverReplayOneClientsResponseToAnother() {
        String key = UUID.randomUUID().toString();

        RaceResponse alice = send(charge(key, "amount=100"));
        RaceResponse bob = send(RaceRequest.post("/charges").header(USER, "bob")
                .header(IdempotencyFilter.KEY_HEADER, key).body("text/plain", bytes("amount=100")));

        assertThat(bob.status()).isEqualTo(201);
        assertThat(bob.header(IdempotencyFilter.REPLAYED_HEADER)).isEmpty();
        assertThat(bob.body()).isNotEqualTo(alice.body());
        assertThat(charges.charges()).isEqualTo(2);
    }

    @Test
    void shouldAnswer401WhenNoPrincipalScopesTheKey() {
        RaceResponse anonymous = send(RaceRequest.post("/charges").header(IdempotencyFilter.KEY_HEADER, "k")
                .body("text/plain", bytes("amount=100")));

        assertThat(anonymous.status()).isEqualTo(401);
        assertThat(charges.charges()).isZero();
    }

    @Test
    void shouldAnswer409WithRetryAfterWhileTheFirstRequestRuns() throws Exception {
        String key = UUID.randomUUID().toString();
        ChargeServlet.Hold hold = charges.holdNext();
        CompletableFuture<RaceResponse> first = CompletableFuture.supplyAsync(() -> send(charge(key, "amount=100")));
        assertThat(hold.entered().await(30, TimeUnit.SECONDS)).isTrue();

        RaceResponse duplicate = send(charge(key, "amount=100"));
        hold.release().countDown();

        assertThat(duplicate.status()).isEqualTo(409);
        assertThat(duplicate.header("Retry-After")).hasValueSatisfying(
                seconds -> assertThat(Long.parseLong(seconds)).isBetween(1L, 30L));
        assertThat(duplicate.bodyText()).contains("\"status\":409");
        assertThat(first.get(30, TimeUnit.SECONDS).status()).isEqualTo(201);
        assertThat(charges.charges()).isEqualTo(1);
    }

    @Test
    void shouldReleaseTheKeyWhenTheHandlerThrowsSoThatARetryRuns() {
        String key = UUID.randomUUID().toString();
        charges.failNext();

        RaceResponse failed = send(charge(key, "amount=100"));
        RaceResponse retry = send(charge(key, "amount=100"));

        assertThat(failed.status()).isEqualTo(500);
        assertThat(retry.status()).isEqualTo(201);
        assertThat(retry.header(IdempotencyFilter.REPLAYED_HEADER)).isEmpty();
        assertThat(charges.charges()).isEqualTo(1);
    }

    @Test
    void shouldSendAServerErrorUnrecordedAndRunTheRetry() {
        String key = UUID.randomUUID().toString();

        RaceResponse failed = send(charge(key, "amount=100", "/charges?status=503"));
        RaceResponse retry = send(charge(key, "amount=100", "/charges?status=503"));

        assertThat(failed.status()).isEqualTo(503);
        assertThat(failed.bodyText()).isEqualTo("{\"charge\":1,\"request\":\"amount=100\"}");
        assertThat(retry.header(IdempotencyFilter.REPLAYED_HEADER)).isEmpty();
        assertThat(charges.charges()).isEqualTo(2);
    }

    @Test
    void shouldReplayAClientErrorTheHandlerCompleted() {
        String key = UUID.randomUUID().toString();

        RaceResponse first = send(charge(key, "amount=100", "/charges?status=402"));
        RaceResponse retry = send(charge(key, "amount=100", "/charges?status=402"));

        assertThat(retry.status()).isEqualTo(402);
        assertThat(retry.body()).isEqualTo(first.body());
        assertThat(charges.charges()).isEqualTo(1);
    }

    @Test
    void shouldRefuseARequestBodyOverTheLimitWith413() {
        RaceResponse tooLarge = send(charge("big", "x".repeat(MAX_REQUEST_BYTES + 1)));
        RaceResponse atLimit = send(charge("fits", "x".repeat(MAX_REQUEST_BYTES)));

        assertThat(tooLarge.status()).isEqualTo(413);
        assertThat(atLimit.status()).isEqualTo(201);
        assertThat(charges.charges()).isEqualTo(1);
    }

    @Test
    void shouldStreamAResponseOverTheLimitAndAnswerItsRetriesWith409WithoutRunningAgain() {
        String key = UUID.randomUUID().toString();
        String target = "/charges?bytes=" + (MAX_RESPONSE_BYTES + 1);

        RaceResponse first = send(charge(key, "amount=100", target));
        RaceResponse retry = send(charge(key, "amount=100", target));

        assertThat(first.status()).isEqualTo(201);
        assertThat(first.body()).hasSize(MAX_RESPONSE_BYTES + 1);
        assertThat(retry.status()).isEqualTo(409);
        assertThat(retry.header("Retry-After")).isEmpty();
        assertThat(retry.bodyText()).contains("too large to keep");
        assertThat(charges.charges()).isEqualTo(1);
    }

    @Test
    void shouldLetGetAndHeadPassThroughUntouched() {
        RaceResponse get = send(RaceRequest.get("/charges").header(IdempotencyFilter.KEY_HEADER, "\"not read\""));
        RaceResponse head = send(RaceRequest.of("HEAD", "/charges").header(IdempotencyFilter.KEY_HEADER, "x y"));

        assertThat(get.status()).isEqualTo(200);
        assertThat(get.bodyText()).isEqualTo("charges: 0");
        assertThat(head.status()).isEqualTo(200);
        assertThat(store.calls()).isZero();
    }

    @Test
    void shouldLetARequestWithoutAKeyPassOnARouteThatOnlyAcceptsOne() {
        RaceResponse first = send(RaceRequest.post("/optional/a").body("text/plain", bytes("amount=1")));
        RaceResponse second = send(RaceRequest.post("/optional/a").body("text/plain", bytes("amount=1")));
        RaceResponse keyed = send(charge("opt", "amount=1", "/optional/a"));
        RaceResponse keyedAgain = send(charge("opt", "amount=1", "/optional/a"));

        assertThat(first.status()).isEqualTo(201);
        assertThat(second.status()).isEqualTo(201);
        assertThat(keyedAgain.body()).isEqualTo(keyed.body());
        assertThat(optional.charges()).isEqualTo(3);
    }

    private RaceResponse send(RaceRequest request) {
        return http.fire(request, 1).response(0);
    }

    private static RaceRequest charge(String key, String body) {
        return charge(key, body, "/charges");
    }

    private static RaceRequest charge(String key, String body, String target) {
        return RaceRequest.post(target).header(USER, "alice").header(IdempotencyFilter.KEY_HEADER, key)
                .body("text/plain", bytes(body));
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
