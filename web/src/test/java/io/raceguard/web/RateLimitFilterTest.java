package io.raceguard.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.raceguard.limit.InMemoryRateLimiter;
import io.raceguard.limit.RateLimit;
import io.raceguard.testing.Hammer;
import io.raceguard.testing.HammerExtension;
import io.raceguard.testing.Invariant;
import io.raceguard.testing.Statuses;
import io.raceguard.testing.http.HttpRace;
import io.raceguard.testing.http.RaceRequest;
import io.raceguard.testing.http.RaceResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The rate-limit filter in a plain Jetty 12 {@code ServletContextHandler}: the {@code RateLimit} and
 * {@code RateLimit-Policy} fields against the policy, {@code 429} with {@code Retry-After}, who is
 * charged, and a burst of aligned requests letting exactly the limit through.
 */
final class RateLimitFilterTest {

    private static final int LIMIT = 5;
    private static final String PROXY = "127.0.0.1";

    @RegisterExtension
    static final HammerExtension HAMMER = HammerExtension.create().withTimes(20).withRounds(5);

    private final ChargeServlet login = new ChargeServlet(0);
    private final ChargeServlet api = new ChargeServlet(0);
    private final ChargeServlet open = new ChargeServlet(0);
    private JettyApp app;
    private HttpRace http;

    @BeforeEach
    void start() throws Exception {
        // Token buckets refilled once every 12 minutes: no permit comes back while a test runs.
        RateLimitFilter byAddress = RateLimitFilter.builder()
                .limit("/login", InMemoryRateLimiter.create(RateLimit.tokenBucket(LIMIT, Duration.ofHours(1))))
                .limit("/tiny", InMemoryRateLimiter.create(RateLimit.slidingWindow(LIMIT, Duration.ofMillis(1500))))
                .build();
        RateLimitFilter behindProxy = RateLimitFilter.builder()
                .limit("/api/*", InMemoryRateLimiter.create(RateLimit.tokenBucket(LIMIT, Duration.ofHours(1))))
                .key(PrincipalResolver.forwardedClientAddress(Set.of(PROXY)))
                .build();
        app = JettyApp.routes().filter(byAddress).filter(behindProxy).servlet("/login", login)
                .servlet("/api/*", api).servlet("/open", open).servlet("/tiny", open).start();
        http = HttpRace.to(app.uri());
    }

    @AfterEach
    void stop() throws Exception {
        app.close();
    }

    @Test
    void shouldCountDownRateLimitAgainstThePolicyThenRefuseWith429AndRetryAfter() {
        for (int remaining = LIMIT - 1; remaining >= 0; remaining--) {
            RaceResponse allowed = send(RaceRequest.post("/login").form(Map.of("user", "alice")));

            assertThat(allowed.status()).isEqualTo(201);
            assertThat(allowed.header(RateLimitFilter.POLICY_HEADER)).contains("\"/login\";q=5;w=3600");
            assertThat(allowed.header(RateLimitFilter.LIMIT_HEADER)).contains("\"/login\";r=" + remaining);
        }
        RaceResponse refused = send(RaceRequest.post("/login").form(Map.of("user", "alice")));

        assertThat(refused.status()).isEqualTo(429);
        long retryAfter = Long.parseLong(refused.header("Retry-After").orElseThrow());
        assertThat(retryAfter).isBetween(1L, 3600L);
        assertThat(refused.header(RateLimitFilter.POLICY_HEADER)).contains("\"/login\";q=5;w=3600");
        assertThat(refused.header(RateLimitFilter.LIMIT_HEADER)).contains("\"/login\";r=0;t=" + retryAfter);
        assertThat(refused.header("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith(Problem.CONTENT_TYPE));
        assertThat(refused.bodyText()).contains("\"status\":429", "\"title\":\"Too Many Requests\"");
        assertThat(login.charges()).isEqualTo(LIMIT);
    }

    @Test
    void shouldRoundASubSecondWindowUpToAWholeSecond() {
        RaceResponse allowed = send(RaceRequest.get("/tiny"));

        assertThat(allowed.header(RateLimitFilter.POLICY_HEADER)).contains("\"/tiny\";q=5;w=2");
    }

    @Test
    void shouldIgnoreXForwardedForUnlessTheProxyIsTrusted() {
        for (int i = 0; i < LIMIT; i++) {
            send(RaceRequest.post("/login").header("X-Forwarded-For", "203.0.113." + i).form(Map.of()));
        }
        RaceResponse forged = send(RaceRequest.post("/login").header("X-Forwarded-For", "203.0.113.99")
                .form(Map.of()));

        assertThat(forged.status()).as("a client cannot buy a fresh budget with a header").isEqualTo(429);
    }

    @Test
    void shouldChargeTheClientBehindATrustedProxy() {
        for (int i = 0; i < LIMIT; i++) {
            assertThat(send(forwardedFor("192.0.2.1, " + PROXY)).status()).isEqualTo(200);
        }

        assertThat(send(forwardedFor("192.0.2.1")).status()).isEqualTo(429);
        assertThat(send(forwardedFor("192.0.2.2")).status()).as("another client").isEqualTo(200);
    }

    @Test
    void shouldLetUnlimitedRoutesPassWithoutFields() {
        RaceResponse answer = send(RaceRequest.post("/open").form(Map.of()));

        assertThat(answer.status()).isEqualTo(201);
        assertThat(answer.header(RateLimitFilter.POLICY_HEADER)).isEmpty();
        assertThat(answer.header(RateLimitFilter.LIMIT_HEADER)).isEmpty();
    }

    @Test
    void shouldLetExactlyTheLimitThroughABurstOfAlignedRequests(Hammer hammer) {
        AtomicInteger round = new AtomicInteger();
        AtomicInteger servedBefore = new AtomicInteger();
        hammer.http(http)
                .beforeEachRound(() -> {
                    round.incrementAndGet();
                    servedBefore.set(api.charges());
                })
                .request(i -> RaceRequest.post("/api/charge").header("X-Forwarded-For", "192.0.2." + round.get())
                        .form(Map.of("i", Integer.toString(i))))
                .expect(Invariant.exactly(LIMIT, "allowed", Statuses.is(201)),
                        Invariant.exactly(20 - LIMIT, "refused", Statuses.is(429)),
                        Invariant.that("the handler ran the limit", done ->
                                assertThat(api.charges() - servedBefore.get()).isEqualTo(LIMIT)));
    }

    @Test
    void shouldRefuseABuilderWithoutRoutesOrWithARouteTwice() {
        assertThatThrownBy(() -> RateLimitFilter.builder().build()).isInstanceOf(IllegalStateException.class);
        RateLimitFilter.Builder builder = RateLimitFilter.builder()
                .limit("/login", InMemoryRateLimiter.create(RateLimit.fixedWindow(1, Duration.ofSeconds(1))));
        assertThatThrownBy(() -> builder.limit("/login",
                InMemoryRateLimiter.create(RateLimit.fixedWindow(1, Duration.ofSeconds(1)))))
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> RateLimitFilter.builder().limit("login", null))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PrincipalResolver.forwardedClientAddress(Set.of()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static RaceRequest forwardedFor(String hops) {
        return RaceRequest.get("/api/items").header("X-Forwarded-For", hops);
    }

    private RaceResponse send(RaceRequest request) {
        return http.fire(request, 1).response(0);
    }
}
