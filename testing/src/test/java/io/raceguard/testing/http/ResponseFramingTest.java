package io.raceguard.testing.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Response framings the JDK server never sends, end to end over a raw socket server. */
final class ResponseFramingTest {

    @Test
    void shouldReadAChunkedBodyFollowedByTrailers() throws Exception {
        try (CannedServer server = CannedServer.answering("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n"
                + "Trailer: X-Balance\r\nContent-Type: text/plain; charset=ISO-8859-1\r\n\r\n"
                + "4\r\ncaf\u00e9\r\n0\r\nX-Balance: 90\r\n\r\n")) {

            RaceResponse response = HttpRace.to(server.uri()).fire(RaceRequest.get("/balance"), 1).response(0);

            assertThat(response.bodyText()).isEqualTo("caf\u00e9");
            assertThat(response.trailers().get("x-balance")).containsExactly("90");
            assertThat(response.header("X-Balance")).isEmpty();
        }
    }

    @Test
    void shouldReadABodyThatEndsWhenTheServerClosesTheConnection() throws Exception {
        try (CannedServer server = CannedServer.answeringThenClosing(
                "HTTP/1.1 200 OK\r\nConnection: close\r\n\r\nuntil the end")) {

            RaceResponse response = HttpRace.to(server.uri()).fire(RaceRequest.get("/"), 1).response(0);

            assertThat(response.bodyText()).isEqualTo("until the end");
            assertThat(response).hasToString("200 OK (13 bytes)");
        }
    }

    @Test
    void shouldSkipAHundredContinueBeforeTheFinalResponse() throws Exception {
        try (CannedServer server = CannedServer.answering("HTTP/1.1 100 Continue\r\n\r\n"
                + "HTTP/1.1 202 Accepted\r\nContent-Length: 0\r\n\r\n")) {

            RaceResponse response = HttpRace.to(server.uri()).fire(RaceRequest.post("/jobs").json("{}"), 1).response(0);

            assertThat(response.status()).isEqualTo(202);
            assertThat(response.reason()).isEqualTo("Accepted");
            assertThat(server.requests()).singleElement().asString().endsWith("\r\n\r\n{}");
        }
    }
}
