package io.raceguard.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.raceguard.idempotency.InMemoryIdempotencyStore;
import io.raceguard.idempotency.spi.IdempotencyStore;
import io.raceguard.jdbc.JdbcIdempotencyStore;
import io.raceguard.jdbc.Schema;
import io.raceguard.jdbc.TableNames;
import io.raceguard.redis.RedisIdempotencyStore;
import io.raceguard.testing.Hammer;
import io.raceguard.testing.HammerExtension;
import io.raceguard.testing.HammerFailure;
import io.raceguard.testing.HammerReport;
import io.raceguard.testing.Invariant;
import io.raceguard.testing.Statuses;
import io.raceguard.testing.http.HttpRace;
import io.raceguard.testing.http.RaceRequest;
import io.raceguard.testing.http.RaceResponse;
import io.raceguard.testsupport.IsolatedDatabase;
import io.raceguard.testsupport.RedisKeyspace;
import io.raceguard.testsupport.RedisService;
import io.raceguard.testsupport.TestServices;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.RedisClient;

/**
 * Twenty copies of one charge, same key, same body, released together at a real Jetty server: with
 * the filter in front, the handler runs once per round on every store, and every copy gets either
 * the first answer or {@code 409}; the same endpoint without the filter charges again and again.
 */
final class IdempotencyFilterRaceTest {

    /** Long enough that the copies arrive while the first one still runs. */
    private static final long HANDLER_PAUSE_MILLIS = 100;

    @RegisterExtension
    static final HammerExtension HAMMER = HammerExtension.create().withTimes(20).withRounds(5);

    private final ChargeServlet guarded = new ChargeServlet(HANDLER_PAUSE_MILLIS);
    private final ChargeServlet unguarded = new ChargeServlet(HANDLER_PAUSE_MILLIS);

    @Test
    void shouldChargeOncePerKeyOnTheInMemoryStore(Hammer hammer) throws Exception {
        chargeAtOnce(hammer, InMemoryIdempotencyStore.create(), "/guarded");
    }

    @Test
    void shouldChargeOncePerKeyOnPostgres(Hammer hammer) throws Exception {
        try (IsolatedDatabase database = TestServices.postgres().isolate(getClass())) {
            Schema.defaults().create(database.dataSource());
            Jdbi jdbi = Jdbi.create(database.dataSource());
            IdempotencyStore store = JdbcIdempotencyStore.create(jdbi);
            sendBadRequests(store);
            assertThat(records(jdbi)).as("records written by refused requests").isZero();

            chargeAtOnce(hammer, store, "/guarded");

            assertThat(records(jdbi)).as("records, one per round").isEqualTo(5);
        }
    }

    @Test
    void shouldChargeOncePerKeyOnRedis(Hammer hammer) throws Exception {
        RedisService service = TestServices.redis();
        try (RedisKeyspace keyspace = service.isolate(getClass());
                RedisClient client = RedisClient.builder()
                        .hostAndPort(new HostAndPort(service.host(), service.port())).build()) {
            chargeAtOnce(hammer, RedisIdempotencyStore.create(client, keyspace.prefix()), "/guarded");
        }
    }

    @Test
    void shouldCatchTheSameEndpointWithoutTheFilterChargingAgainAndAgain(Hammer hammer) {
        assertThatThrownBy(() -> chargeAtOnce(hammer, InMemoryIdempotencyStore.create(), "/unguarded"))
                .isInstanceOf(HammerFailure.class)
                .hasMessageContaining("the handler ran once");
    }

    /** A missing key, a malformed one, one too long, a body over the limit, and no principal: all refused. */
    private void sendBadRequests(IdempotencyStore store) throws Exception {
        IdempotencyFilter filter = IdempotencyFilter.builder(store).requireKey("/guarded")
                .principal(PrincipalResolver.header("X-User")).maxRequestBytes(16).build();
        List<RaceRequest> refused = List.of(
                RaceRequest.post("/guarded").header("X-User", "alice").body("text/plain", bytes("amount=1")),
                keyed("\"unclosed", "amount=1"),
                keyed("k".repeat(300), "amount=1"),
                keyed("fine", "x".repeat(17)),
                RaceRequest.post("/guarded").header(IdempotencyFilter.KEY_HEADER, "k")
                        .body("text/plain", bytes("amount=1")));
        try (JettyApp app = JettyApp.routes().filter(filter).servlet("/guarded", guarded).start()) {
            for (RaceRequest request : refused) {
                assertThat(HttpRace.to(app.uri()).fire(request, 1).response(0).status()).isIn(400, 401, 413);
            }
        }
        assertThat(guarded.charges()).isZero();
    }

    private static RaceRequest keyed(String key, String body) {
        return RaceRequest.post("/guarded").header("X-User", "alice").header(IdempotencyFilter.KEY_HEADER, key)
                .body("text/plain", bytes(body));
    }

    private static long records(Jdbi jdbi) {
        return jdbi.withHandle(handle -> handle.createQuery(
                "SELECT count(*) FROM " + TableNames.DEFAULT_IDEMPOTENCY).mapTo(Long.class).one());
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private HammerReport<RaceResponse> chargeAtOnce(Hammer hammer, IdempotencyStore store, String path)
            throws Exception {
        IdempotencyFilter filter = IdempotencyFilter.builder(store)
                .requireKey("/guarded")
                .principal(PrincipalResolver.constant("customer-7"))
                .build();
        ChargeServlet servlet = path.equals("/guarded") ? guarded : unguarded;
        AtomicReference<String> key = new AtomicReference<>();
        AtomicInteger chargesBefore = new AtomicInteger();
        try (JettyApp app = JettyApp.routes().filter(filter)
                .servlet("/guarded", guarded).servlet("/unguarded", unguarded).start()) {
            return hammer.http(HttpRace.to(app.uri()))
                    .beforeEachRound(() -> {
                        key.set(UUID.randomUUID().toString());
                        chargesBefore.set(servlet.charges());
                    })
                    .request(i -> RaceRequest.post(path).header(IdempotencyFilter.KEY_HEADER, key.get())
                            .body("text/plain", bytes("amount=100")))
                    .expect(Invariant.that("the handler ran once", round ->
                                    assertThat(servlet.charges() - chargesBefore.get()).isEqualTo(1)),
                            Invariant.none("server errors", Statuses.isServerError()),
                            Invariant.that("every copy gets the first answer or 409", round -> {
                                List<RaceResponse> answers = round.values();
                                RaceResponse first = answers.stream()
                                        .filter(answer -> answer.header(IdempotencyFilter.REPLAYED_HEADER).isEmpty()
                                                && answer.status() == 201)
                                        .findFirst().orElseThrow();
                                for (RaceResponse answer : answers) {
                                    if (answer.status() != 409) {
                                        assertThat(answer.status()).isEqualTo(201);
                                        assertThat(answer.body()).isEqualTo(first.body());
                                    }
                                }
                            }));
        }
    }
}
