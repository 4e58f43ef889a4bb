package io.raceguard.testing.http;

import static java.util.Objects.requireNonNull;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One HTTP/1.1 request to race: a method, a path with its query, headers and a body. The scheme,
 * host and port come from {@link HttpRace#to(java.net.URI)}; {@code Host}, {@code Content-Length}
 * and {@code Connection} are added when the request is written.
 *
 * <pre>{@code
 * RaceRequest redeem = RaceRequest.post("/coupons/redeem")
 *         .header("Cookie", "session=" + sessionOfUser(i))
 *         .form(Map.of("code", "SAVE20"));
 * }</pre>
 *
 * <p>Every field is checked when it is set, before any I/O: the method must be a token, the target a
 * path in origin form, header names tokens and header values free of CR and LF, so that no value can
 * end a header early and smuggle a second request onto the connection. {@code Transfer-Encoding} is
 * refused (bodies are always sent with {@code Content-Length}). A caller-set {@code Content-Length}
 * that does not match the body is refused by {@link HttpRace#fire(List)}, before it connects.
 *
 * <p>Immutable and thread-safe: every {@code header}, {@code form}, {@code json} and {@code body}
 * call returns a copy. {@link #toString()} names the method and path only, never header values or the
 * body, which may carry credentials.
 */
public final class RaceRequest {

    private static final byte[] NO_BODY = new byte[0];

    private final String method;
    private final String target;
    private final List<Map.Entry<String, String>> headers;
    private final byte[] body;

    private RaceRequest(String method, String target, List<Map.Entry<String, String>> headers, byte[] body) {
        this.method = method;
        this.target = target;
        this.headers = List.copyOf(headers);
        this.body = body;
    }

    /**
     * @param target the path and query in origin form, e.g. {@code /orders?id=7}
     * @return a {@code GET} request without headers or body
     * @throws IllegalArgumentException if {@code target} does not start with {@code /} or holds a
     *     character outside visible ASCII
     */
    public static RaceRequest get(String target) {
        return of("GET", target);
    }

    /**
     * @param target the path and query in origin form, e.g. {@code /coupons/redeem}
     * @return a {@code POST} request with an empty body; add one with {@link #form(Map)},
     *     {@link #json(String)} or {@link #body(String, byte[])}
     * @throws IllegalArgumentException if {@code target} does not start with {@code /} or holds a
     *     character outside visible ASCII
     */
    public static RaceRequest post(String target) {
        return of("POST", target);
    }

    /**
     * @param method the request method, e.g. {@code PUT}, {@code PATCH}, {@code DELETE}
     * @param target the path and query in origin form
     * @return a request without headers or body
     * @throws IllegalArgumentException if {@code method} is not an HTTP token or is {@code CONNECT}, or
     *     {@code target} is not a path in origin form
     */
    public static RaceRequest of(String method, String target) {
        HttpSyntax.requireToken(method, "method");
        if (method.equalsIgnoreCase("CONNECT")) {
            throw new IllegalArgumentException("method CONNECT opens a tunnel and cannot be raced");
        }
        return new RaceRequest(method, HttpSyntax.requireOriginForm(target, "target"), List.of(), NO_BODY);
    }

    /**
     * Adds a header line; calling it twice with the same name sends the header twice.
     *
     * @param name the header name
     * @param value the header value
     * @return a copy with the header added
     * @throws IllegalArgumentException if {@code name} is not an HTTP token or is
     *     {@code Transfer-Encoding}, or {@code value} holds CR, LF or another control character
     */
    public RaceRequest header(String name, String value) {
        HttpSyntax.requireToken(name, "header name");
        HttpSyntax.requireFieldValue(value, "value of header " + name);
        if (name.equalsIgnoreCase("Transfer-Encoding")) {
            throw new IllegalArgumentException(
                    "header Transfer-Encoding is not supported: the body is always sent with Content-Length");
        }
        List<Map.Entry<String, String>> copy = new ArrayList<>(headers);
        copy.add(Map.entry(name, value));
        return new RaceRequest(method, target, copy, body);
    }

    /**
     * Sets an {@code application/x-www-form-urlencoded} body, names and values encoded in UTF-8, in the
     * map's iteration order (pass a {@link java.util.LinkedHashMap} to fix it).
     *
     * @param fields the form fields
     * @return a copy with this body and its {@code Content-Type}, replacing any earlier ones
     * @throws NullPointerException if {@code fields} or one of its names or values is null
     */
    public RaceRequest form(Map<String, String> fields) {
        requireNonNull(fields, "fields");
        StringBuilder encoded = new StringBuilder();
        fields.forEach((name, value) -> {
            requireNonNull(name, "form field name");
            requireNonNull(value, "value of form field " + name);
            if (encoded.length() > 0) {
                encoded.append('&');
            }
            encoded.append(URLEncoder.encode(name, StandardCharsets.UTF_8))
                    .append('=')
                    .append(URLEncoder.encode(value, StandardCharsets.UTF_8));
        });
        return body("application/x-www-form-urlencoded", encoded.toString().getBytes(StandardCharsets.US_ASCII));
    }

    /**
     * @param json a JSON document, sent as UTF-8; it is not parsed or checked
     * @return a copy with this body and {@code Content-Type: application/json}, replacing any earlier ones
     * @throws NullPointerException if {@code json} is null
     */
    public RaceRequest json(String json) {
        requireNonNull(json, "json");
        return body("application/json", json.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * @param contentType the {@code Content-Type} header value, e.g. {@code text/plain; charset=UTF-8}
     * @param body the body bytes, copied
     * @return a copy with this body and content type, replacing any earlier ones
     * @throws IllegalArgumentException if {@code contentType} holds CR, LF or another control character
     */
    public RaceRequest body(String contentType, byte[] body) {
        HttpSyntax.requireFieldValue(contentType, "contentType");
        requireNonNull(body, "body");
        List<Map.Entry<String, String>> copy = new ArrayList<>(headers);
        copy.removeIf(header -> header.getKey().equalsIgnoreCase("Content-Type"));
        copy.add(Map.entry("Content-Type", contentType));
        return new RaceRequest(method, target, copy, body.clone());
    }

    /** @return the request method, e.g. {@code POST} */
    public String method() {
        return method;
    }

    /** @return the path and query in origin form */
    public String target() {
        return target;
    }

    /** @return the header lines the caller set, in order, repeated names included; unmodifiable */
    public List<Map.Entry<String, String>> headers() {
        return headers;
    }

    /**
     * @param name a header name, matched case-insensitively
     * @return the first value the caller set for it
     */
    public Optional<String> header(String name) {
        requireNonNull(name, "name");
        return headers.stream()
                .filter(header -> header.getKey().equalsIgnoreCase(name))
                .map(Map.Entry::getValue)
                .findFirst();
    }

    /** @return a copy of the body bytes, empty when there is none */
    public byte[] body() {
        return body.clone();
    }

    byte[] bodyBytes() {
        return body;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof RaceRequest that
                && method.equals(that.method)
                && target.equals(that.target)
                && headers.equals(that.headers)
                && Arrays.equals(body, that.body);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * (31 * method.hashCode() + target.hashCode()) + headers.hashCode()) + Arrays.hashCode(body);
    }

    /** @return the method and the path without its query, e.g. {@code POST /coupons/redeem} */
    @Override
    public String toString() {
        int query = target.indexOf('?');
        return method + " " + (query < 0 ? target : target.substring(0, query));
    }
}
