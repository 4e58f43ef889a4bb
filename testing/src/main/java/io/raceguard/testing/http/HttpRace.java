package io.raceguard.testing.http;

import static java.util.Objects.requireNonNull;

import io.raceguard.internal.Inputs;
import java.net.URI;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Fires HTTP/1.1 requests at one server so that they arrive as close together as the network
 * allows, with last-byte synchronisation, and reads every response.
 *
 * <pre>{@code
 * RaceVolley volley = HttpRace.to(URI.create("http://127.0.0.1:" + port))
 *         .arrivalHeader("X-Arrival-Nanos")
 *         .fire(RaceRequest.post("/coupons/redeem").form(Map.of("code", "SAVE20")), 20);
 * long redeemed = volley.responses().stream().filter(r -> r.status() == 200).count();
 * }</pre>
 *
 * <p>How a volley of N requests runs:
 * <ol>
 *   <li>Every request is checked and encoded before any I/O; a configuration that cannot work is
 *       refused with an {@link IllegalArgumentException}: more requests than {@link #maxConnections(int)},
 *       a caller-set {@code Content-Length} that does not match the body.
 *   <li>N connections are opened, one per request, each connected with {@code TCP_NODELAY} and, for
 *       {@code https}, with its TLS handshake done, before any request byte is sent.
 *   <li>Each request is written except its final byte (the last body byte, or the final line feed of a
 *       body-less request); {@code TCP_NODELAY} sends the prefix at once, so the server holds an
 *       incomplete request on every connection.
 *   <li>Once every prefix is written, one thread writes the N final bytes back to back, reading
 *       {@link System#nanoTime()} right after each: the server completes all N requests within the
 *       {@linkplain RaceVolley#releaseSpread() release spread}.
 *   <li>Once the last final byte is out, each response is read on its connection's own thread, and
 *       every connection is closed.
 * </ol>
 *
 * <p>Headers added to every request: {@code Host} (unless the caller set one), {@code Content-Length}
 * when there is a body or the method is {@code POST}, {@code PUT} or {@code PATCH}, and
 * {@code Connection: keep-alive} (unless the caller set {@code Connection}).
 *
 * <p>Give each request its own session or credentials where the server serialises a session's
 * requests, or the race is lost before it starts. For a server-side measure of the window, name an
 * {@link #arrivalHeader(String)} that the server fills in once it has read the whole request.
 *
 * <p>Failure model: every wait is bounded (the connect and read timeouts); on any failure, timeout or
 * interrupt every connection of the volley is closed, its threads end, and an {@link HttpRaceException}
 * names the request that failed. Requests already released may have taken effect on the server.
 *
 * <p>Immutable and thread-safe: every option returns a copy, and one instance may fire several volleys,
 * also at once.
 */
public final class HttpRace {

    /** The default for {@link #connectTimeout(Duration)}: 5 seconds. */
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);

    /** The default for {@link #readTimeout(Duration)}: 30 seconds. */
    public static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(30);

    /** The default for {@link #maxConnections(int)}: 256. */
    public static final int DEFAULT_MAX_CONNECTIONS = 256;

    private final Endpoint endpoint;
    private final Duration connectTimeout;
    private final Duration readTimeout;
    private final int maxConnections;
    private final String arrivalHeader;
    private final TimeUnit arrivalUnit;
    private final boolean singlePacket;

    private HttpRace(Endpoint endpoint, Duration connectTimeout, Duration readTimeout, int maxConnections,
            String arrivalHeader, TimeUnit arrivalUnit, boolean singlePacket) {
        this.endpoint = endpoint;
        this.connectTimeout = connectTimeout;
        this.readTimeout = readTimeout;
        this.maxConnections = maxConnections;
        this.arrivalHeader = arrivalHeader;
        this.arrivalUnit = arrivalUnit;
        this.singlePacket = singlePacket;
    }

    /**
     * @param base {@code http://host[:port][/path]} or {@code https://...}; a path is prefixed to every
     *     request's target. {@code https} trusts the JVM's default trust store and verifies host names
     *     until told otherwise.
     * @return a race at that server with the default options
     * @throws IllegalArgumentException if the scheme is not {@code http} or {@code https}, the host is
     *     missing, or the URI has user info, a query or a fragment
     */
    public static HttpRace to(URI base) {
        return new HttpRace(Endpoint.of(base), DEFAULT_CONNECT_TIMEOUT, DEFAULT_READ_TIMEOUT,
                DEFAULT_MAX_CONNECTIONS, null, TimeUnit.NANOSECONDS, false);
    }

    /**
     * @param timeout the longest wait for each connection to be established and, for {@code https}, for
     *     its TLS handshake
     * @return a copy with this timeout
     * @throws IllegalArgumentException if {@code timeout} is not positive or is under 1 ms
     */
    public HttpRace connectTimeout(Duration timeout) {
        Inputs.requirePositive(timeout, "connectTimeout");
        return new HttpRace(endpoint, timeout, readTimeout, maxConnections, arrivalHeader, arrivalUnit, singlePacket);
    }

    /**
     * @param timeout the longest wait for all request prefixes to be written, and then, from the
     *     release on, for all responses to be read in full
     * @return a copy with this timeout
     * @throws IllegalArgumentException if {@code timeout} is not positive or is under 1 ms
     */
    public HttpRace readTimeout(Duration timeout) {
        Inputs.requirePositive(timeout, "readTimeout");
        return new HttpRace(endpoint, connectTimeout, timeout, maxConnections, arrivalHeader, arrivalUnit,
                singlePacket);
    }

    /**
     * Models a connection pool: a volley needs one connection per request, so a volley larger than the
     * pool could only wait for a connection that its own held-back requests never free.
     *
     * @param connections the most connections one volley may open
     * @return a copy with this limit
     * @throws IllegalArgumentException if {@code connections < 1}
     */
    public HttpRace maxConnections(int connections) {
        if (connections < 1) {
            throw new IllegalArgumentException("maxConnections must be >= 1, was " + connections);
        }
        return new HttpRace(endpoint, connectTimeout, readTimeout, connections, arrivalHeader, arrivalUnit,
                singlePacket);
    }

    /**
     * Names the response header in which the server echoes when it saw the request, as
     * {@link System#nanoTime()} nanoseconds of the server's JVM. The server should read the clock once
     * it has read the whole request (a body arrives last), so that the stamp is the arrival of the final
     * byte.
     *
     * @param name the header name, matched case-insensitively
     * @return a copy that reports the {@linkplain RaceVolley#arrivalSpread() arrival spread}
     * @throws IllegalArgumentException if {@code name} is not an HTTP token
     */
    public HttpRace arrivalHeader(String name) {
        return arrivalHeader(name, TimeUnit.NANOSECONDS);
    }

    /**
     * Like {@link #arrivalHeader(String)}, for a server that echoes its clock in another unit, e.g.
     * microseconds; only differences between the values are used, so any origin will do.
     *
     * @param name the header name, matched case-insensitively
     * @param unit the unit of the echoed whole number
     * @return a copy that reports the {@linkplain RaceVolley#arrivalSpread() arrival spread}
     * @throws IllegalArgumentException if {@code name} is not an HTTP token
     */
    public HttpRace arrivalHeader(String name, TimeUnit unit) {
        HttpSyntax.requireToken(name, "arrivalHeader");
        requireNonNull(unit, "unit");
        return new HttpRace(endpoint, connectTimeout, readTimeout, maxConnections, name, unit, singlePacket);
    }

    /**
     * Trusts the certificates that {@code context} trusts, host names verified.
     *
     * @param context the TLS context to make connections with
     * @return a copy using it for {@code https}
     */
    public HttpRace sslContext(SSLContext context) {
        requireNonNull(context, "context");
        return withTls(new TlsTrust(context, true));
    }

    /**
     * Trusts the certificates in {@code trustStore} (e.g. a test certificate), host names verified.
     *
     * @param trustStore the trusted certificates
     * @return a copy using them for {@code https}
     * @throws IllegalArgumentException if the JVM cannot build a TLS context from the store
     */
    public HttpRace trustStore(KeyStore trustStore) {
        requireNonNull(trustStore, "trustStore");
        try {
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(trustStore);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return withTls(new TlsTrust(context, true));
        } catch (GeneralSecurityException unusable) {
            throw new IllegalArgumentException("trustStore cannot back a TLS context: " + unusable.getMessage(),
                    unusable);
        }
    }

    /**
     * INSECURE: trusts every certificate and checks no host name, so anyone on the path can read and
     * change the traffic. Only for a test server on loopback with a throwaway certificate.
     *
     * @return a copy that accepts any server certificate for {@code https}
     */
    public HttpRace trustAllCertificatesInsecurely() {
        return withTls(TlsTrust.insecure());
    }

    /**
     * Races over HTTP/2 with the single-packet technique instead of HTTP/1.1 last-byte sync: one
     * connection ({@code h2c} with prior knowledge for {@code http}, ALPN {@code h2} for {@code https}),
     * one stream per request, and every request's final frame in one socket write, so that the server
     * receives the completions of all N requests in one TCP packet. The request API and the volley's
     * report stay the same; {@link #maxConnections(int)} does not apply.
     *
     * <ol>
     *   <li>Every request is checked and encoded (HPACK) before any I/O, as for last-byte sync.
     *   <li>The connection is opened with {@code TCP_NODELAY}; the client preface, our SETTINGS (no server
     *       push, the largest receive window) and a PING go out, and the server's SETTINGS are awaited with
     *       the PING's acknowledgement.
     *   <li>A volley the server would not admit is refused before any request is sent: more requests than
     *       its {@code SETTINGS_MAX_CONCURRENT_STREAMS}, or bodies larger than its flow-control windows.
     *   <li>Each request goes out on its own stream as HEADERS and DATA frames without END_STREAM, holding
     *       back its last body byte, or for a body-less request an empty DATA frame, as its final frame.
     *       Holding back a byte rather than only END_STREAM keeps servers that dispatch once
     *       {@code Content-Length} bytes are in from starting early.
     *   <li>A PING warms the connection; once it is acknowledged (and no stream was reset), every withheld
     *       final frame, with END_STREAM, is written in one socket write. The
     *       {@linkplain RaceVolley#releaseSpread() release spread} is that write's duration (the frames are
     *       encoded before it), and every response's release time is its end.
     *   <li>The responses are read per stream on one reader thread, which also acknowledges the server's
     *       SETTINGS and PINGs and tops up the receive window; then a GOAWAY is sent and the connection
     *       closed.
     * </ol>
     *
     * <p>A server that answers a stream with RST_STREAM, or excludes it with GOAWAY, fails the volley with an
     * {@link HttpRaceException} naming the request and its stream. A body-less request is handled as soon as
     * the server dispatches on HEADERS, before the release, unless the server waits for END_STREAM; give the
     * request a body where the race matters.
     *
     * @return a copy that fires single-packet HTTP/2 volleys
     */
    public HttpRace singlePacket() {
        return new HttpRace(endpoint, connectTimeout, readTimeout, maxConnections, arrivalHeader, arrivalUnit, true);
    }

    /**
     * @return a copy that fires HTTP/1.1 volleys with last-byte sync, one connection per request (the
     *     default)
     */
    public HttpRace lastByteSync() {
        return new HttpRace(endpoint, connectTimeout, readTimeout, maxConnections, arrivalHeader, arrivalUnit, false);
    }

    /** @return whether volleys are single-packet HTTP/2 rather than HTTP/1.1 last-byte sync */
    public boolean isSinglePacket() {
        return singlePacket;
    }

    /**
     * Sends {@code times} copies of one request together.
     *
     * @param request the request
     * @param times how many copies, at least 1 and at most {@link #maxConnections(int)}
     * @return the responses and spreads, as {@link #fire(List)}
     * @throws IllegalArgumentException as {@link #fire(List)}
     * @throws HttpRaceException as {@link #fire(List)}
     */
    public RaceVolley fire(RaceRequest request, int times) {
        requireNonNull(request, "request");
        if (times < 1) {
            throw new IllegalArgumentException("times must be >= 1, was " + times);
        }
        return fire(Collections.nCopies(times, request));
    }

    /**
     * Sends the requests together, one connection each, the final bytes released at once, and waits for
     * every response. Blocks for at most about twice the connect timeout plus twice the read timeout:
     * the connections and handshakes get twice the connect timeout, writing the prefixes gets the read
     * timeout, and the release with every response read in full gets the read timeout again.
     *
     * @param requests the requests, at least 1 and at most {@link #maxConnections(int)}
     * @return the responses in request order, the release spread, and the arrival spread if configured
     * @throws IllegalArgumentException before any I/O, if there are no requests or more than
     *     {@link #maxConnections(int)}, or a request's {@code Content-Length} does not match its body
     * @throws HttpRaceException if a connection, a write or a read failed or timed out, a response broke
     *     HTTP/1.1, or the calling thread was interrupted (its interrupt flag is then set again)
     */
    public RaceVolley fire(List<RaceRequest> requests) {
        requireNonNull(requests, "requests");
        if (requests.isEmpty()) {
            throw new IllegalArgumentException("requests must not be empty");
        }
        if (singlePacket) {
            return fireSinglePacket(requests);
        }
        if (requests.size() > maxConnections) {
            throw new IllegalArgumentException(requests.size() + " requests cannot race over at most "
                    + maxConnections + " connections (maxConnections): each request needs its own connection,"
                    + " held open until the release, so a smaller pool would wait for itself. Fire at most "
                    + maxConnections + " requests or raise maxConnections");
        }
        List<WireRequest> wire = new ArrayList<>(requests.size());
        for (int i = 0; i < requests.size(); i++) {
            RaceRequest request = requireNonNull(requests.get(i), "requests[" + i + "]");
            wire.add(WireRequest.encode(i, request, endpoint));
        }
        return new LastByteSyncRun(endpoint, connectTimeout, readTimeout, wire).run(arrivalHeader, arrivalUnit);
    }

    private RaceVolley fireSinglePacket(List<RaceRequest> requests) {
        List<StreamRequest> streams = new ArrayList<>(requests.size());
        for (int i = 0; i < requests.size(); i++) {
            RaceRequest request = requireNonNull(requests.get(i), "requests[" + i + "]");
            streams.add(StreamRequest.encode(i, request, endpoint));
        }
        return new SinglePacketVolley(endpoint, connectTimeout, readTimeout, streams).run(arrivalHeader, arrivalUnit);
    }

    private HttpRace withTls(TlsTrust tls) {
        return new HttpRace(endpoint.withTls(tls), connectTimeout, readTimeout, maxConnections, arrivalHeader,
                arrivalUnit, singlePacket);
    }

    /** @return the base URI and options, e.g. {@code HttpRace[https://127.0.0.1:8443, maxConnections 256]} */
    @Override
    public String toString() {
        return "HttpRace[" + endpoint + (singlePacket ? ", single-packet HTTP/2" : ", maxConnections " + maxConnections)
                + (arrivalHeader == null ? "" : ", arrivalHeader " + arrivalHeader + " in "
                        + arrivalUnit.name().toLowerCase(Locale.ROOT))
                + "]";
    }
}
