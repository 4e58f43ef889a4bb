package io.raceguard.examples.shop;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What an endpoint answers: a status, a JSON body and any extra headers.
 *
 * @param status the HTTP status
 * @param body the JSON body
 * @param headers extra response headers, e.g. {@code Retry-After}
 */
record Reply(int status, Json body, Map<String, String> headers) {

    Reply {
        headers = Map.copyOf(headers);
    }

    static Reply of(int status, Json body) {
        return new Reply(status, body, Map.of());
    }

    static Reply error(int status, String message) {
        return of(status, Json.object().put("error", message));
    }

    Reply withHeader(String name, String value) {
        Map<String, String> more = new LinkedHashMap<>(headers);
        more.put(name, value);
        return new Reply(status, body, more);
    }
}
