package io.raceguard.testing.http;

import io.raceguard.RaceguardException;

/**
 * A volley could not be carried out: a connection or TLS handshake failed, a request could not be
 * written, a response did not arrive within the read timeout or broke the HTTP/1.1 grammar. The
 * message names the request by its index and method and path, never its headers or body. Some
 * requests may already have reached the server; every connection of the volley is closed.
 */
public final class HttpRaceException extends RaceguardException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message what failed, for which request
     * @param cause the underlying failure, or {@code null}
     */
    public HttpRaceException(String message, Throwable cause) {
        super(message, cause);
    }
}
