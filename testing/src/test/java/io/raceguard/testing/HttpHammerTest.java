package io.raceguard.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.raceguard.testing.http.HttpRace;
import io.raceguard.testing.http.RaceRequest;
import io.raceguard.testing.http.RaceResponse;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The HTTP hammer against a JDK server in the test: naive endpoint caught, guarded clean, bad setups refused. */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
final class HttpHammerTest {

    private static final int TIMES = 10;

    private CouponServer server;
    private HttpHammer hammer;

    @BeforeEach
    void startServer() throws IOException {
        server = new CouponServer();
        hammer = Hammer.create().http(HttpRace.to(server.base()).arrivalHeader(CouponServer.ARRIVAL_HEADER))
                .times(TIMES).rounds(10).shrinking(5)
                .beforeEachRound(server::reset);
    }

    @AfterEach
    void stopServer() throws InterruptedException {
        server.close();
    }

    @Test
    void shouldCatchANaiveEndpointRedeemingACouponTwice() {
        HammerReport<RaceResponse> report = hammer.request(redeem("/naive/redeem"))
                .check(Invariant.exactly(1, "redeemed", Statuses.is(200)),
                        Statuses.histogram(Map.of(200, 1, 409, TIMES - 1)));

        assertThat(report.failed()).as(report.toString()).isTrue();
        CheckedRound<RaceResponse> failed = report.failedRounds().get(0);
        assertThat(failed.violations().get(0).anomaly()).hasValue(Anomaly.DOUBLE_SPEND);
        assertThat(failed.violations().get(1).message()).startsWith("status 200: ");
        assertThat(failed.round().arrivalSpread()).as("the server echoed its arrival times").isPresent();
        assertThat(report.verdict())
                .matches("round \\d+ of 10 failed: double spend: \\d+ redeemed \\(expected exactly 1\\)"
                + " \\(\\+1 more\\); median release skew .+; median arrival spread .+; smallest failing N: \\d+");
    }

    @Test
    void shouldFindAGuardedEndpointRedeemingOnceEveryRound() {
        HammerReport<RaceResponse> report = hammer.request(redeem("/guarded/redeem"))
                .expect(Invariant.exactly(1, "redeemed", Statuses.is(200)),
                        Invariant.none("server errors", Statuses.isServerError()),
                        Statuses.histogram(Map.of(200, 1, 409, TIMES - 1)));

        assertThat(report.rounds()).hasSize(10);
        assertThat(report.medianArrivalSpread()).isPresent();
        assertThat(report.toString()).contains("10 HTTP/1.1 requests with last-byte sync",
                "200: 1, 409: " + (TIMES - 1));
    }

    @Test
    void shouldRefuseMoreRequestsThanTheConnectionPoolBeforeSendingAny() {
        HttpHammer pooled = Hammer.create().http(HttpRace.to(server.base()).maxConnections(5)).times(TIMES);

        assertThatThrownBy(() -> pooled.request(RaceRequest.post("/guarded/redeem")).check())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(TIMES + " requests cannot race over at most 5 connections");
    }

    @Test
    void shouldStopWithAHammerExceptionWhenTheServerCannotBeReached() throws IOException {
        URI nobody;
        try (ServerSocket closed = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            nobody = URI.create("http://127.0.0.1:" + closed.getLocalPort());
        }
        HttpHammer unreachable = Hammer.create().http(HttpRace.to(nobody).connectTimeout(Duration.ofSeconds(2)))
                .times(2);

        assertThatThrownBy(() -> unreachable.request(RaceRequest.get("/")).check())
                .isInstanceOf(HammerException.class)
                .hasMessageStartingWith("round 1 could not be fired: ");
    }

    private static IntFunction<RaceRequest> redeem(String path) {
        return worker -> RaceRequest.post(path).form(Map.of("code", "SAVE20", "user", "user-" + worker));
    }
}
