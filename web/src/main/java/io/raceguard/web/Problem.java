package io.raceguard.web;

import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * An RFC 9457 problem detail with type {@code about:blank}: the title is the status's reason phrase
 * and the detail says what to fix. Details never quote a key, a principal or a body.
 *
 * @param status the HTTP status
 * @param detail what went wrong, for a human
 */
record Problem(int status, String detail) {

    static final String CONTENT_TYPE = "application/problem+json";

    private static final Map<Integer, String> TITLES = Map.of(
            400, "Bad Request",
            401, "Unauthorized",
            409, "Conflict",
            413, "Content Too Large",
            422, "Unprocessable Content",
            429, "Too Many Requests");

    static Problem of(int status, String detail) {
        return new Problem(status, detail);
    }

    /** Resets the response's buffer and writes this problem as the whole answer; headers already set stay. */
    void send(HttpServletResponse response) throws IOException {
        byte[] json = ("{\"type\":\"about:blank\",\"title\":\"" + TITLES.getOrDefault(status, "Error")
                + "\",\"status\":" + status + ",\"detail\":\"" + jsonEscaped(detail) + "\"}")
                .getBytes(StandardCharsets.UTF_8);
        response.resetBuffer();
        response.setStatus(status);
        response.setContentType(CONTENT_TYPE);
        response.setContentLength(json.length);
        response.getOutputStream().write(json);
    }

    private static String jsonEscaped(String text) {
        StringBuilder escaped = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"' || c == '\\') {
                escaped.append('\\').append(c);
            } else if (c < 0x20) {
                escaped.append(String.format("\\u%04x", (int) c));
            } else {
                escaped.append(c);
            }
        }
        return escaped.toString();
    }
}
