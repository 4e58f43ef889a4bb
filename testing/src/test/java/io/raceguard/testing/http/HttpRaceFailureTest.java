package io.raceguard.testing.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ProtocolException;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Every failure ends the volley with a clear exception, its connections closed and its threads gone. */
final class HttpRaceFailureTest {

    @AfterEach
    void noVolleyThreadIsLeftBehind() {
        assertThat(Thread.getAllStackTraces().keySet())
                .filteredOn(thread -> thread.getName().startsWith("raceguard-http-race"))
                .isEmpty();
    }

    @Test
    void shouldNameTheRequestThatCouldNotConnect() throws Exception {
        URI closedPort;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = URI.create("http://127.0.0.1:" + probe.getLocalPort());
        }

        assertThatThrownBy(() -> HttpRace.to(closedPort).fire(RaceRequest.get("/orders"), 3))
                .isInstanceOf(HttpRaceException.class)
                .hasMessageStartingWith("request 0 (GET /orders) failed while connecting to " + closedPort)
                .hasMessageEndingWith("(and 2 more requests failed)")
                .hasCauseInstanceOf(ConnectException.class);
    }

    @Test
    void shouldGiveUpOnASilentServerAfterTheReadTimeoutAndCloseEveryConnection() throws Exception {
        try (CannedServer server = CannedServer.silent(4)) {

            assertThatThrownBy(() -> HttpRace.to(server.uri()).readTimeout(Duration.ofSeconds(1))
                    .fire(RaceRequest.get("/slow"), 4))
                    .isInstanceOf(HttpRaceException.class)
                    .hasMessage("racing 4 requests at " + server.uri() + " timed out while reading the responses"
                            + " (connect timeout 5000 ms, read timeout 1000 ms); requests still unanswered: 0, 1, 2,"
                            + " 3");

            assertThat(server.awaitClientsClosed(10)).as("the server saw every connection closed").isTrue();
            assertThat(server.requests()).hasSize(4).allSatisfy(request -> assertThat(request)
                    .startsWith("GET /slow HTTP/1.1\r\n").endsWith("\r\n\r\n"));
        }
    }

    @Test
    void shouldRefuseAResponseThatIsNotHttp() throws Exception {
        try (CannedServer server = CannedServer.answering("SSH-2.0-OpenSSH_9.2\r\n")) {

            assertThatThrownBy(() -> HttpRace.to(server.uri()).fire(RaceRequest.get("/"), 1))
                    .isInstanceOf(HttpRaceException.class)
                    .hasMessageStartingWith("request 0 (GET /) failed while reading the response")
                    .hasCauseInstanceOf(ProtocolException.class)
                    .hasMessageContaining("not an HTTP/1.x status line");
        }
    }

    @Test
    void shouldRefuseABodyCutShortByTheServer() throws Exception {
        try (CannedServer server = CannedServer.answeringThenClosing(
                "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nshort")) {

            assertThatThrownBy(() -> HttpRace.to(server.uri()).fire(RaceRequest.get("/"), 1))
                    .isInstanceOf(HttpRaceException.class)
                    .hasMessageContaining("the connection closed 5 bytes before the end of the body");
        }
    }

    @Test
    void shouldStopAtOnceAndKeepTheInterruptWhenTheCallerIsInterrupted() throws Exception {
        try (CannedServer server = CannedServer.silent(2)) {
            Thread.currentThread().interrupt();

            assertThatThrownBy(() -> HttpRace.to(server.uri()).fire(RaceRequest.get("/"), 2))
                    .isInstanceOf(HttpRaceException.class)
                    .hasMessageStartingWith("interrupted while racing 2 requests");
            assertThat(Thread.interrupted()).as("the interrupt flag is set again").isTrue();
        }
    }
}
