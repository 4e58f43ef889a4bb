package io.raceguard.testing.http;

import static io.raceguard.testing.http.TestServer.respond;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpsExchange;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class HttpRaceTlsTest {

    @TempDir
    static Path keyStores;

    private static TestCertificate forLoopback;
    private static TestCertificate forAnotherHost;

    @BeforeAll
    static void generateCertificates() throws Exception {
        forLoopback = TestCertificate.generate(keyStores, "ip:127.0.0.1");
        forAnotherHost = TestCertificate.generate(keyStores, "dns:elsewhere.invalid");
    }

    @Test
    void shouldRaceOverTlsTrustingTheTestCertificateWithHostNamesVerified() throws Exception {
        AtomicInteger requests = new AtomicInteger();
        try (TestServer server = TestServer.https(forLoopback.serverContext(), "/", exchange -> {
            requests.incrementAndGet();
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            respond(exchange, 200, ((HttpsExchange) exchange).getSSLSession().getProtocol() + " " + body);
        })) {

            RaceVolley volley = server.race().trustStore(forLoopback.trustStore())
                    .fire(RaceRequest.post("/").json("{\"n\":1}"), 10);

            assertThat(volley.responses()).extracting(RaceResponse::bodyText).containsOnly("TLSv1.3 {\"n\":1}");
            assertThat(requests).hasValue(10);
        }
    }

    @Test
    void shouldReadChunkedResponsesOverTls() throws Exception {
        try (TestServer server = TestServer.https(forLoopback.serverContext(), "/", exchange -> {
            exchange.sendResponseHeaders(200, 0);
            exchange.getResponseBody().write("chunk one, ".getBytes(StandardCharsets.US_ASCII));
            exchange.getResponseBody().flush();
            exchange.getResponseBody().write("chunk two".getBytes(StandardCharsets.US_ASCII));
            exchange.close();
        })) {

            RaceVolley volley = server.race().sslContext(clientContextTrusting(forLoopback.trustStore()))
                    .fire(RaceRequest.get("/"), 5);

            assertThat(volley.responses()).extracting(RaceResponse::bodyText).containsOnly("chunk one, chunk two");
        }
    }

    @Test
    void shouldRefuseAnUnknownCertificateByDefault() throws Exception {
        try (TestServer server = TestServer.https(forLoopback.serverContext(), "/",
                exchange -> respond(exchange, 200, ""))) {

            assertThatThrownBy(() -> server.race().fire(RaceRequest.get("/"), 2))
                    .isInstanceOf(HttpRaceException.class)
                    .hasMessageContaining("request 0 (GET /) failed while connecting to " + server.uri())
                    .hasCauseInstanceOf(SSLHandshakeException.class);
        }
    }

    @Test
    void shouldRefuseATrustedCertificateForAnotherHostName() throws Exception {
        try (TestServer server = TestServer.https(forAnotherHost.serverContext(), "/",
                exchange -> respond(exchange, 200, ""))) {

            assertThatThrownBy(() -> server.race().trustStore(forAnotherHost.trustStore())
                    .fire(RaceRequest.get("/"), 2))
                    .isInstanceOf(HttpRaceException.class)
                    .hasCauseInstanceOf(SSLHandshakeException.class)
                    .hasMessageContaining("127.0.0.1");
        }
    }

    @Test
    void shouldAcceptAnyCertificateOnlyWhenToldToTrustAllInsecurely() throws Exception {
        try (TestServer server = TestServer.https(forAnotherHost.serverContext(), "/",
                exchange -> respond(exchange, 200, "ok"))) {

            RaceVolley volley = server.race().trustAllCertificatesInsecurely().fire(RaceRequest.get("/"), 3);

            assertThat(volley.responses()).extracting(RaceResponse::bodyText).containsOnly("ok");
        }
    }

    private static SSLContext clientContextTrusting(KeyStore trustStore) throws Exception {
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(trustStore);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        return context;
    }
}
