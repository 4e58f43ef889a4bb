package io.raceguard.testing.http;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A request encoded for HTTP/1.1 and split for last-byte synchronisation: everything but the final
 * byte, and the final byte. Until the final byte arrives the server cannot finish parsing the request,
 * so it cannot start handling it.
 *
 * @param index the request's position in the volley
 * @param label the method and path, for messages
 * @param prefix every byte of the request but the last
 * @param finalByte the last byte of the request
 * @param expectsBody whether the response may carry a body ({@code false} for {@code HEAD})
 */
record WireRequest(int index, String label, byte[] prefix, byte finalByte, boolean expectsBody) {

    private static final Set<String> METHODS_WITH_BODY = Set.of("POST", "PUT", "PATCH");

    /**
     * @throws IllegalArgumentException if the caller set a {@code Content-Length} that does not match the
     *     body
     */
    static WireRequest encode(int index, RaceRequest request, Endpoint endpoint) {
        byte[] body = request.bodyBytes();
        List<Map.Entry<String, String>> headers = request.headers();
        StringBuilder head = new StringBuilder(256)
                .append(request.method()).append(' ')
                .append(endpoint.basePath()).append(request.target())
                .append(" HTTP/1.1\r\n");
        if (request.header("Host").isEmpty()) {
            head.append("Host: ").append(endpoint.authority()).append("\r\n");
        }
        boolean contentLengthSet = false;
        for (Map.Entry<String, String> header : headers) {
            if (header.getKey().equalsIgnoreCase("Content-Length")) {
                requireMatchingLength(index, header.getValue(), body.length);
                if (contentLengthSet) {
                    continue;
                }
                contentLengthSet = true;
            }
            head.append(header.getKey()).append(": ").append(header.getValue()).append("\r\n");
        }
        if (!contentLengthSet
                && (body.length > 0 || METHODS_WITH_BODY.contains(request.method().toUpperCase(Locale.ROOT)))) {
            head.append("Content-Length: ").append(body.length).append("\r\n");
        }
        if (request.header("Connection").isEmpty()) {
            head.append("Connection: keep-alive\r\n");
        }
        head.append("\r\n");
        ByteArrayOutputStream whole = new ByteArrayOutputStream(head.length() + body.length);
        whole.writeBytes(head.toString().getBytes(StandardCharsets.ISO_8859_1));
        whole.writeBytes(body);
        byte[] bytes = whole.toByteArray();
        return new WireRequest(index, "request " + index + " (" + request + ")",
                Arrays.copyOf(bytes, bytes.length - 1), bytes[bytes.length - 1],
                !request.method().equalsIgnoreCase("HEAD"));
    }

    static void requireMatchingLength(int index, String value, int bodyLength) {
        String trimmed = value.trim();
        if (!trimmed.equals(Integer.toString(bodyLength))) {
            throw new IllegalArgumentException("requests[" + index + "] sets Content-Length " + trimmed
                    + " but its body has " + bodyLength + " bytes; leave Content-Length out, it is computed");
        }
    }
}
