package io.raceguard.testing.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.raceguard.testing.Hammer;
import io.raceguard.testing.HammerReport;
import io.raceguard.testing.Invariant;
import io.raceguard.testing.Statuses;
import io.raceguard.testing.http.Http2TestServer.Arrival;
import io.raceguard.testing.http.Http2TestServer.Behaviour;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Single-packet HTTP/2 volleys against a Netty HTTP/2 server on loopback, over h2c and TLS. */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
final class SinglePacketRaceTest {

    private static final int N = 20;

    @TempDir
    static Path keyStores;

    @Test
    void shouldCompleteEveryRequestInOneSocketReadOverH2c() throws Exception {
        try (Http2TestServer server = Http2TestServer.h2c()) {

            RaceVolley volley = server.race().fire(redeemRequests());

            assertAllAnsweredInOneRead(server, volley);
        }
    }

    @Test
    void shouldCompleteEveryRequestInOneSocketReadOverTlsWithAlpn() throws Exception {
        TestCertificate certificate = TestCertificate.generate(keyStores, "ip:127.0.0.1");
        try (Http2TestServer server = Http2TestServer.start(certificate.serverContext(), 100, Behaviour.ANSWER)) {

            RaceVolley volley = server.race().trustStore(certificate.trustStore()).fire(redeemRequests());

            assertAllAnsweredInOneRead(server, volley);
        }
    }

    @Test
    void shouldRunUnderTheHammerWithTheSameInvariants() throws Exception {
        try (Http2TestServer server = Http2TestServer.h2c()) {

            HammerReport<RaceResponse> report = Hammer.create().http(server.race()).times(10).rounds(3)
                    .request(i -> RaceRequest.post("/coupons/redeem").form(Map.of("user", "u" + i)))
                    .expect(Invariant.exactly(10, "answered", Statuses.is(200)));

            assertThat(report.rounds()).hasSize(3);
            assertThat(report.medianArrivalSpread()).isPresent();
            assertThat(report.toString()).contains("10 HTTP/2 requests in one packet");
        }
    }

    @Test
    void shouldReleaseBodyLessRequestsWithAnEmptyFinalDataFrame() throws Exception {
        try (Http2TestServer server = Http2TestServer.h2c()) {

            RaceVolley volley = server.race().fire(RaceRequest.get("/orders?id=7"), N);

            assertThat(volley.responses()).extracting(RaceResponse::bodyText).containsOnly("GET /orders?id=7 ");
            assertThat(server.arrivals()).extracting(Arrival::readNumber).hasSize(N).containsOnly(
                    server.arrivals().get(0).readNumber());
        }
    }

    @Test
    void shouldRefuseMoreRequestsThanTheServersConcurrentStreamsBeforeOpeningAny() throws Exception {
        try (Http2TestServer server = Http2TestServer.start(null, 5, Behaviour.ANSWER)) {

            assertThatThrownBy(() -> server.race().fire(RaceRequest.post("/redeem").form(Map.of("n", "1")), 10))
                    .isInstanceOf(HttpRaceException.class)
                    .hasMessageContaining("the server allows at most 5 concurrent streams"
                            + " (SETTINGS_MAX_CONCURRENT_STREAMS), fewer than the 10 requests");
            assertThat(server.streamsOpened()).isEmpty();

            RaceVolley five = server.race().fire(RaceRequest.post("/redeem").form(Map.of("n", "1")), 5);
            assertThat(five.responses()).extracting(RaceResponse::status).containsOnly(200).hasSize(5);
        }
    }

    @Test
    void shouldNameTheStreamTheServerReset() throws Exception {
        try (Http2TestServer server = Http2TestServer.start(null, 100, Behaviour.RESET_STREAM_3)) {

            assertThatThrownBy(() -> server.race().fire(redeemRequests()))
                    .isInstanceOf(HttpRaceException.class)
                    .hasMessageStartingWith("request 1 (POST /coupons/redeem) on stream 3 failed:"
                            + " the server reset it with RST_STREAM REFUSED_STREAM (7)");
        }
    }

    @Test
    void shouldNameTheStreamsAGoAwayLeftUnanswered() throws Exception {
        try (Http2TestServer server = Http2TestServer.start(null, 100, Behaviour.GOAWAY_AFTER_STREAM_1)) {

            // Netty may close the connection right after its GOAWAY, so stream 1 may fail too.
            assertThatThrownBy(() -> server.race().fire(redeemRequests()))
                    .isInstanceOf(HttpRaceException.class)
                    .hasMessageMatching("request [01] \\(POST /coupons/redeem\\) on stream [13] failed: .*"
                            + "GOAWAY NO_ERROR \\(0\\) \\(last stream processed 1\\).*more requests failed\\)");
        }
    }

    @Test
    void shouldRefuseAServerThatDoesNotSpeakHttp2() throws Exception {
        try (TestServer server = TestServer.http("/", exchange -> TestServer.respond(exchange, 200, "HTTP/1.1"))) {

            assertThatThrownBy(() -> server.race().singlePacket().fire(RaceRequest.get("/"), 2))
                    .isInstanceOf(HttpRaceException.class)
                    .hasMessageStartingWith("the single-packet volley of 2 requests at " + server.uri() + " failed");
        }
    }

    private static List<RaceRequest> redeemRequests() {
        List<RaceRequest> requests = new ArrayList<>(N);
        for (int i = 0; i < N; i++) {
            requests.add(RaceRequest.post("/coupons/redeem").form(Map.of("user", "u" + i)));
        }
        return requests;
    }

    private static void assertAllAnsweredInOneRead(Http2TestServer server, RaceVolley volley) {
        assertThat(volley.responses()).hasSize(N);
        for (int i = 0; i < N; i++) {
            assertThat(volley.response(i).status()).isEqualTo(200);
            assertThat(volley.response(i).bodyText()).isEqualTo("POST /coupons/redeem user=u" + i);
        }
        List<Arrival> arrivals = server.arrivals();
        assertThat(arrivals).hasSize(N);
        assertThat(arrivals).extracting(Arrival::readNumber)
                .as("every request completed in the same socket read, so in one packet")
                .containsOnly(arrivals.get(0).readNumber());
        assertThat(volley.arrivalSpread()).as("the server echoed its arrival times").isPresent();
    }
}
