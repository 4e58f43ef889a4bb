package io.raceguard.testing.http;

import static java.util.Objects.requireNonNull;

import java.nio.charset.Charset;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.StandardCharsets;
import java.nio.charset.UnsupportedCharsetException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The response to one raced request: status, headers, trailers, body and when it came back.
 *
 * <p>Header and trailer names are matched case-insensitively; a header sent several times keeps all
 * its values in order. Times are {@link System#nanoTime()} readings of this JVM, comparable between
 * the responses of one volley: {@link #releasedAtNanos()} is read right after the request's final
 * byte was written, so {@link #latency()} is what the server took plus the network, not the race window.
 *
 * <p>Immutable and thread-safe.
 */
public final class RaceResponse {

    private final int status;
    private final String reason;
    private final Map<String, List<String>> headers;
    private final Map<String, List<String>> trailers;
    private final byte[] body;
    private final long releasedAtNanos;
    private final long firstByteAtNanos;
    private final long completedAtNanos;

    RaceResponse(int status, String reason, Map<String, List<String>> headers, Map<String, List<String>> trailers,
            byte[] body, long releasedAtNanos, long firstByteAtNanos, long completedAtNanos) {
        this.status = status;
        this.reason = reason;
        this.headers = headers;
        this.trailers = trailers;
        this.body = body;
        this.releasedAtNanos = releasedAtNanos;
        this.firstByteAtNanos = firstByteAtNanos;
        this.completedAtNanos = completedAtNanos;
    }

    /** @return the status code, e.g. 200 */
    public int status() {
        return status;
    }

    /** @return the reason phrase of the status line, possibly empty */
    public String reason() {
        return reason;
    }

    /**
     * @return every header by name, names compared case-insensitively, values in the order received;
     *     unmodifiable
     */
    public Map<String, List<String>> headers() {
        return headers;
    }

    /**
     * @param name a header name, matched case-insensitively
     * @return its first value, if the response has it
     */
    public Optional<String> header(String name) {
        requireNonNull(name, "name");
        List<String> values = headers.get(name);
        return values == null ? Optional.empty() : Optional.of(values.get(0));
    }

    /**
     * @param name a header name, matched case-insensitively
     * @return all its values in the order received, empty if absent
     */
    public List<String> headerValues(String name) {
        requireNonNull(name, "name");
        return headers.getOrDefault(name, List.of());
    }

    /**
     * @return the trailer fields that followed a chunked body, as {@link #headers()}; empty for any other
     *     body
     */
    public Map<String, List<String>> trailers() {
        return trailers;
    }

    /** @return a copy of the body bytes, decoded from chunked transfer coding if it was chunked */
    public byte[] body() {
        return body.clone();
    }

    /**
     * @return the body as text, in the {@code charset} of the {@code Content-Type} header, UTF-8 when
     *     there is none or the JVM does not know it
     */
    public String bodyText() {
        return new String(body, charset());
    }

    /** @return {@link System#nanoTime()} read right after the request's final byte was written */
    public long releasedAtNanos() {
        return releasedAtNanos;
    }

    /**
     * @return from the release of the final byte until the first byte of the response was read. Responses
     *     are read only once every final byte of the volley is out, so this is never shorter than the
     *     rest of the release
     */
    public Duration timeToFirstByte() {
        return Duration.ofNanos(firstByteAtNanos - releasedAtNanos);
    }

    /** @return from the release of the final byte until the whole response was read */
    public Duration latency() {
        return Duration.ofNanos(completedAtNanos - releasedAtNanos);
    }

    private Charset charset() {
        for (String parameter : header("Content-Type").orElse("").split(";")) {
            String[] pair = parameter.trim().split("=", 2);
            if (pair.length == 2 && pair[0].trim().toLowerCase(Locale.ROOT).equals("charset")) {
                try {
                    return Charset.forName(pair[1].trim().replace("\"", ""));
                } catch (IllegalCharsetNameException | UnsupportedCharsetException unknown) {
                    return StandardCharsets.UTF_8;
                }
            }
        }
        return StandardCharsets.UTF_8;
    }

    /** @return the status line and body size, e.g. {@code 200 OK (17 bytes)}; never header values */
    @Override
    public String toString() {
        return status + (reason.isEmpty() ? "" : " " + reason) + " (" + body.length + " bytes)";
    }
}
