package io.raceguard.testing.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Configurations that cannot work are refused before any I/O: the races below aim at a port nobody
 * listens on, so a refusal that came after a connection attempt would be an HttpRaceException instead.
 */
final class HttpRaceConfigurationTest {

    private static final HttpRace NOWHERE = HttpRace.to(URI.create("http://127.0.0.1:1"));

    @Test
    void shouldRefuseMoreRequestsThanConnectionsBecauseTheVolleyWouldWaitForItself() {
        assertThatThrownBy(() -> NOWHERE.maxConnections(10).fire(RaceRequest.get("/"), 11))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("11 requests cannot race over at most 10 connections (maxConnections)");
        assertThatThrownBy(() -> NOWHERE.fire(RaceRequest.get("/"), HttpRace.DEFAULT_MAX_CONNECTIONS + 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("maxConnections");
    }

    @Test
    void shouldRefuseABodyWhoseCallerSetContentLengthDoesNotMatch() {
        RaceRequest lying = RaceRequest.post("/").header("Content-Length", "3").json("{\"a\":1}");

        assertThatThrownBy(() -> NOWHERE.fire(List.of(RaceRequest.get("/"), lying)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("requests[1] sets Content-Length 3 but its body has 7 bytes;"
                        + " leave Content-Length out, it is computed");
    }

    @Test
    void shouldRefuseAnEmptyVolley() {
        assertThatThrownBy(() -> NOWHERE.fire(List.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("requests must not be empty");
        assertThatThrownBy(() -> NOWHERE.fire(RaceRequest.get("/"), 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("times must be >= 1, was 0");
        assertThatThrownBy(() -> NOWHERE.maxConnections(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxConnections must be >= 1, was 0");
    }

    @ParameterizedTest
    @ValueSource(strings = {"ftp://127.0.0.1/", "ws://127.0.0.1/", "localhost:8080", "/relative",
            "mailto:race@example.com"})
    void shouldRefuseABaseThatIsNotHttp(String base) {
        assertThatThrownBy(() -> HttpRace.to(URI.create(base)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("base must be an http or https URI");
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://user:secret@127.0.0.1/", "http://127.0.0.1/?a=1", "http://127.0.0.1/#top"})
    void shouldRefuseABaseWithUserInfoQueryOrFragment(String base) {
        assertThatThrownBy(() -> HttpRace.to(URI.create(base)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("must not have user info, a query or a fragment")
                .hasMessageNotContaining("secret");
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://evil.example/steal", "//evil.example/steal", "orders", "*", ""})
    void shouldRefuseATargetThatIsNotAPathInOriginForm(String target) {
        assertThatThrownBy(() -> RaceRequest.get(target))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("origin form");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/a b", "/a\r\nHost: evil", "/caf\u00e9", "/page#top", "/tab\there"})
    void shouldRefuseATargetWithCharactersThatNeedPercentEncoding(String target) {
        assertThatThrownBy(() -> RaceRequest.get(target))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("target must hold only visible ASCII");
    }

    @ParameterizedTest
    @ValueSource(strings = {"X-Token\r\nX-Admin", "X Token", "X-Token:", ""})
    void shouldRefuseAHeaderNameThatIsNotAToken(String name) {
        assertThatThrownBy(() -> RaceRequest.get("/").header(name, "value"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("header name must");
    }

    @ParameterizedTest
    @ValueSource(strings = {"a\r\nX-Admin: true", "a\nb", "a\rb", "a\u0000b", "\u20ac"})
    void shouldRefuseAHeaderValueThatCouldSmuggleARequest(String value) {
        assertThatThrownBy(() -> RaceRequest.get("/").header("X-Token", value))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("value of header X-Token must");
    }

    @Test
    void shouldRefuseHeadersAndMethodsThatTheRaceCannotFrame() {
        assertThatThrownBy(() -> RaceRequest.post("/").header("transfer-encoding", "chunked"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Transfer-Encoding is not supported");
        assertThatThrownBy(() -> RaceRequest.of("CONNECT", "/"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("CONNECT");
        assertThatThrownBy(() -> RaceRequest.of("GET /admin HTTP/1.1\r\n", "/"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("method must be an HTTP token");
        assertThatThrownBy(() -> RaceRequest.post("/").body("text/plain\r\nX-Admin: true", new byte[1]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("contentType must not contain CR or LF");
    }

    @Test
    void shouldRefuseNullsAndTimeoutsOutOfRange() {
        assertThatNullPointerException().isThrownBy(() -> HttpRace.to(null)).withMessage("base");
        assertThatNullPointerException().isThrownBy(() -> NOWHERE.fire(null)).withMessage("requests");
        assertThatNullPointerException()
                .isThrownBy(() -> NOWHERE.fire(java.util.Arrays.asList(RaceRequest.get("/"), null)))
                .withMessage("requests[1]");
        assertThatNullPointerException().isThrownBy(() -> RaceRequest.get(null)).withMessage("target");
        assertThatThrownBy(() -> NOWHERE.readTimeout(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("readTimeout must be positive");
        assertThatThrownBy(() -> NOWHERE.connectTimeout(Duration.ofMillis(-1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("connectTimeout must be positive");
    }

    @Test
    void shouldLeaveTheOriginalUnchangedWhenAnOptionIsSet() {
        RaceRequest plain = RaceRequest.get("/");
        RaceRequest withHeader = plain.header("X-Session", "s-1");

        assertThat(plain.headers()).isEmpty();
        assertThat(withHeader.header("x-session")).hasValue("s-1");
        assertThat(withHeader).isNotEqualTo(plain).isEqualTo(RaceRequest.get("/").header("X-Session", "s-1"));
        assertThat(NOWHERE.maxConnections(5).toString()).contains("maxConnections 5");
        assertThat(NOWHERE.toString()).contains("maxConnections " + HttpRace.DEFAULT_MAX_CONNECTIONS);
    }

    @Test
    void shouldNeverShowHeaderValuesQueriesOrBodiesInToString() {
        RaceRequest request = RaceRequest.post("/charge?card=4111111111111111")
                .header("Authorization", "Bearer secret-token")
                .json("{\"cvv\":\"123\"}");

        assertThat(request).hasToString("POST /charge");
    }
}
