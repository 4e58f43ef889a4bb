package io.raceguard.testing.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The split that last-byte synchronisation relies on: the server cannot finish a request before its final byte. */
final class WireRequestTest {

    private static final Endpoint LOCAL = Endpoint.of(URI.create("http://127.0.0.1:8080"));

    @Test
    void shouldHoldBackTheFinalLineFeedOfABodilessRequest() {
        WireRequest wire = WireRequest.encode(0, RaceRequest.get("/stock?item=7").header("Cookie", "s=1"), LOCAL);

        assertThat(whole(wire)).isEqualTo("GET /stock?item=7 HTTP/1.1\r\nHost: 127.0.0.1:8080\r\nCookie: s=1\r\n"
                + "Connection: keep-alive\r\n\r\n");
        assertThat(wire.finalByte()).isEqualTo((byte) '\n');
        assertThat(new String(wire.prefix(), StandardCharsets.ISO_8859_1)).endsWith("\r\n\r");
        assertThat(wire.expectsBody()).isTrue();
    }

    @Test
    void shouldHoldBackTheLastBodyByteAndComputeTheContentLength() {
        WireRequest wire = WireRequest.encode(3, RaceRequest.post("/redeem").json("{\"code\":\"\u00e9\"}"), LOCAL);

        assertThat(whole(wire)).isEqualTo("POST /redeem HTTP/1.1\r\nHost: 127.0.0.1:8080\r\n"
                + "Content-Type: application/json\r\nContent-Length: 13\r\nConnection: keep-alive\r\n\r\n"
                + new String("{\"code\":\"\u00e9\"}".getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1));
        assertThat(wire.finalByte()).isEqualTo((byte) '}');
        assertThat(wire.label()).isEqualTo("request 3 (POST /redeem)");
    }

    @Test
    void shouldSendAZeroContentLengthForAnEmptyPostButNoneForAGet() {
        assertThat(whole(WireRequest.encode(0, RaceRequest.post("/"), LOCAL))).contains("Content-Length: 0\r\n");
        assertThat(whole(WireRequest.encode(0, RaceRequest.of("DELETE", "/"), LOCAL))).doesNotContain("Content-Length");
    }

    @Test
    void shouldKeepTheCallersHostConnectionAndMatchingContentLengthOnce() {
        RaceRequest request = RaceRequest.post("/")
                .header("Host", "shop.example")
                .header("Connection", "close")
                .header("Content-Length", "2")
                .header("content-length", "2")
                .body("text/plain", "ok".getBytes(StandardCharsets.US_ASCII));

        assertThat(whole(WireRequest.encode(0, request, LOCAL))).isEqualTo("POST / HTTP/1.1\r\nHost: shop.example\r\n"
                + "Connection: close\r\nContent-Length: 2\r\nContent-Type: text/plain\r\n\r\nok");
    }

    @Test
    void shouldOmitTheDefaultPortFromHostAndPrefixTheBasePath() {
        Endpoint secure = Endpoint.of(URI.create("HTTPS://shop.example/api/"));

        assertThat(whole(WireRequest.encode(0, RaceRequest.of("HEAD", "/orders"), secure)))
                .startsWith("HEAD /api/orders HTTP/1.1\r\nHost: shop.example\r\n");
        assertThat(WireRequest.encode(0, RaceRequest.of("HEAD", "/orders"), secure).expectsBody()).isFalse();
        assertThat(Endpoint.of(URI.create("http://[::1]/")).authority()).isEqualTo("[::1]");
        assertThat(Endpoint.of(URI.create("http://[::1]:81")).authority()).isEqualTo("[::1]:81");
    }

    private static String whole(WireRequest wire) {
        return new String(wire.prefix(), StandardCharsets.ISO_8859_1) + (char) (wire.finalByte() & 0xFF);
    }
}
