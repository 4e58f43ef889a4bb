package io.raceguard.testing.http;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http2.Http2Headers;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One stream's response as its frames arrive: the final HEADERS (interim 1xx ones are skipped), the
 * DATA, trailers, and when it started and completed; or why it failed. Not thread-safe: guarded by the
 * {@link Http2Connection} that owns it.
 */
final class StreamResponse {

    private int status;
    private Map<String, List<String>> headers;
    private Map<String, List<String>> trailers = Map.of();
    private final ByteArrayOutputStream body = new ByteArrayOutputStream();
    private long firstByteAtNanos;
    private long completedAtNanos;
    private boolean complete;
    private String failure;

    void headers(Http2Headers received, boolean endStream) {
        if (resolved()) {
            return;
        }
        if (headers != null) {
            trailers = fields(received);
        } else {
            int code = statusOf(received);
            if (code < 0) {
                fail("the server answered without a valid :status");
                return;
            }
            if (code < 200 && !endStream) {
                return;
            }
            status = code;
            headers = fields(received);
            firstByteAtNanos = System.nanoTime();
        }
        if (endStream) {
            complete();
        }
    }

    void data(ByteBuf data, boolean endStream) {
        if (resolved()) {
            return;
        }
        if (headers == null) {
            fail("the server sent DATA before the response HEADERS");
            return;
        }
        if ((long) body.size() + data.readableBytes() > HttpInput.MAX_BODY_BYTES) {
            fail("the response body is larger than " + HttpInput.MAX_BODY_BYTES + " bytes");
            return;
        }
        byte[] bytes = new byte[data.readableBytes()];
        data.getBytes(data.readerIndex(), bytes);
        body.writeBytes(bytes);
        if (endStream) {
            complete();
        }
    }

    void fail(String reason) {
        if (!resolved()) {
            failure = reason;
        }
    }

    boolean resolved() {
        return complete || failure != null;
    }

    /** @return why the stream failed, or {@code null} */
    String failure() {
        return failure;
    }

    /** @return the response with the given release time; only once {@link #resolved()} without failure */
    RaceResponse toResponse(long releasedAtNanos) {
        return new RaceResponse(status, "", headers, trailers, body.toByteArray(), releasedAtNanos,
                firstByteAtNanos, completedAtNanos);
    }

    private void complete() {
        completedAtNanos = System.nanoTime();
        complete = true;
    }

    private static int statusOf(Http2Headers received) {
        CharSequence value = received.status();
        if (value == null || value.length() != 3) {
            return -1;
        }
        try {
            return Integer.parseInt(value.toString());
        } catch (NumberFormatException notANumber) {
            return -1;
        }
    }

    private static Map<String, List<String>> fields(Http2Headers received) {
        Map<String, List<String>> fields = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (Map.Entry<CharSequence, CharSequence> field : received) {
            String name = field.getKey().toString();
            if (!name.startsWith(":")) {
                fields.computeIfAbsent(name, ignored -> new ArrayList<>()).add(field.getValue().toString());
            }
        }
        Map<String, List<String>> frozen = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        fields.forEach((name, values) -> frozen.put(name, List.copyOf(values)));
        return Collections.unmodifiableMap(frozen);
    }
}
