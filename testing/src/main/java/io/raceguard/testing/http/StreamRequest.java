package io.raceguard.testing.http;

import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2Headers;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A request encoded for one HTTP/2 stream and split for the single-packet release: the HEADERS and
 * every body byte but the last go out first; the final DATA frame, carrying the last body byte (or
 * nothing, for a body-less request) and END_STREAM, is withheld until the release.
 *
 * <p>Withholding a body byte rather than only END_STREAM matters: a server that dispatches a request
 * once it has {@code Content-Length} bytes would otherwise start it before the release.
 *
 * @param index the request's position in the volley
 * @param label the request index, method and path, for messages
 * @param streamId the odd stream identifier the request travels on
 * @param headers the pseudo-headers and header fields, names in lower case
 * @param bodyPrefix every body byte but the last, possibly none
 * @param finalData the last body byte, or nothing for a body-less request
 */
record StreamRequest(int index, String label, int streamId, Http2Headers headers, byte[] bodyPrefix,
        byte[] finalData) {

    /** Fields that are specific to an HTTP/1.1 connection and malformed in HTTP/2 (RFC 9113, 8.2.2). */
    private static final Set<String> CONNECTION_FIELDS =
            Set.of("connection", "keep-alive", "proxy-connection", "transfer-encoding", "upgrade", "host");

    /**
     * @throws IllegalArgumentException if the caller set a {@code Content-Length} that does not match the
     *     body
     */
    static StreamRequest encode(int index, RaceRequest request, Endpoint endpoint) {
        byte[] body = request.bodyBytes();
        Http2Headers headers = new DefaultHttp2Headers()
                .method(request.method())
                .scheme(endpoint.secure() ? "https" : "http")
                .authority(request.header("Host").orElse(endpoint.authority()))
                .path(endpoint.basePath() + request.target());
        boolean contentLengthSet = false;
        for (Map.Entry<String, String> header : request.headers()) {
            String name = header.getKey().toLowerCase(Locale.ROOT);
            if (name.equals("content-length")) {
                WireRequest.requireMatchingLength(index, header.getValue(), body.length);
                if (contentLengthSet) {
                    continue;
                }
                contentLengthSet = true;
            }
            boolean onlyTrailersAllowed = name.equals("te") && !header.getValue().strip().equalsIgnoreCase("trailers");
            if (!CONNECTION_FIELDS.contains(name) && !onlyTrailersAllowed) {
                headers.add(name, header.getValue());
            }
        }
        if (!contentLengthSet && body.length > 0) {
            headers.add("content-length", Integer.toString(body.length));
        }
        int split = Math.max(0, body.length - 1);
        return new StreamRequest(index, "request " + index + " (" + request + ")", 2 * index + 1, headers,
                Arrays.copyOf(body, split), Arrays.copyOfRange(body, split, body.length));
    }

    /** @return the body's length in bytes, what the server's flow-control windows must admit */
    int bodyLength() {
        return bodyPrefix.length + finalData.length;
    }
}
