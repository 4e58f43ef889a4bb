package io.raceguard.testing.http;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * Where a race goes: scheme, host, port, a path prefix, and for {@code https} the trust to use.
 *
 * @param secure whether to speak TLS
 * @param host the host name or address literal, IPv6 literals in brackets
 * @param port the port
 * @param basePath the path prefix of every request target, empty or starting with {@code /} and not
 *     ending with it
 * @param tls the trust for {@code https}, or {@code null} for the JVM's default trust store
 */
record Endpoint(boolean secure, String host, int port, String basePath, TlsTrust tls) {

    static Endpoint of(URI base) {
        requireNonNull(base, "base");
        String scheme = base.getScheme() == null ? "" : base.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new IllegalArgumentException("base must be an http or https URI, had scheme '" + scheme + "'");
        }
        if (base.isOpaque() || base.getHost() == null) {
            throw new IllegalArgumentException("base must name a host, e.g. http://127.0.0.1:8080");
        }
        if (base.getRawUserInfo() != null || base.getRawQuery() != null || base.getRawFragment() != null) {
            throw new IllegalArgumentException("base must not have user info, a query or a fragment; put a query"
                    + " on each RaceRequest and credentials in its headers");
        }
        boolean secure = scheme.equals("https");
        int port = base.getPort() == -1 ? (secure ? 443 : 80) : base.getPort();
        String path = base.getRawPath() == null ? "" : base.getRawPath();
        while (path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        if (!path.isEmpty()) {
            HttpSyntax.requireOriginForm(path, "path of base");
        }
        return new Endpoint(secure, base.getHost(), port, path, null);
    }

    Endpoint withTls(TlsTrust trust) {
        return new Endpoint(secure, host, port, basePath, trust);
    }

    /** @return the {@code Host} header value: the host, and the port unless it is the scheme's default */
    String authority() {
        return port == (secure ? 443 : 80) ? host : host + ":" + port;
    }

    /**
     * Connects with {@code TCP_NODELAY} and, for {@code https}, completes the TLS handshake.
     *
     * @param opened receives each socket as soon as it exists, so that another thread can close it
     * @return the connected socket, the TLS socket for {@code https}
     */
    Socket connect(Duration timeout, SocketRegistry opened) throws IOException {
        return connect(timeout, opened, List.of());
    }

    /**
     * Like {@link #connect(Duration, SocketRegistry)}, offering {@code applicationProtocols} over ALPN
     * in the TLS handshake ({@code https} only).
     */
    Socket connect(Duration timeout, SocketRegistry opened, List<String> applicationProtocols) throws IOException {
        int timeoutMillis = Math.toIntExact(Math.min(Integer.MAX_VALUE, timeout.toMillis()));
        Socket plain = opened.register(new Socket());
        plain.setTcpNoDelay(true);
        plain.connect(new InetSocketAddress(unbracketedHost(), port), timeoutMillis);
        if (!secure) {
            return plain;
        }
        TlsTrust trust = tls == null ? TlsTrust.jvmDefault() : tls;
        SSLSocket socket = opened.register(
                (SSLSocket) trust.context().getSocketFactory().createSocket(plain, unbracketedHost(), port, true));
        SSLParameters parameters = socket.getSSLParameters();
        parameters.setEndpointIdentificationAlgorithm(trust.verifyHostname() ? "HTTPS" : null);
        if (!applicationProtocols.isEmpty()) {
            parameters.setApplicationProtocols(applicationProtocols.toArray(String[]::new));
        }
        socket.setSSLParameters(parameters);
        socket.setSoTimeout(timeoutMillis);
        socket.startHandshake();
        return socket;
    }

    private String unbracketedHost() {
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }

    @Override
    public String toString() {
        return (secure ? "https://" : "http://") + authority() + basePath;
    }
}
