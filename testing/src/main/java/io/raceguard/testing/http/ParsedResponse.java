package io.raceguard.testing.http;

import java.util.List;
import java.util.Map;

/**
 * A response as read from the wire, before the volley adds its timings.
 *
 * @param status the status code
 * @param reason the reason phrase, possibly empty
 * @param headers the header fields, case-insensitive and unmodifiable
 * @param trailers the trailer fields of a chunked body, case-insensitive and unmodifiable
 * @param body the body, de-chunked
 */
record ParsedResponse(int status, String reason, Map<String, List<String>> headers,
        Map<String, List<String>> trailers, byte[] body) {}
