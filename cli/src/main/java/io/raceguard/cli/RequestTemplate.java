package io.raceguard.cli;

import io.raceguard.testing.http.RaceRequest;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The request to race, before its placeholders are filled: where it goes, method, target, headers and
 * body. {@link #request(int)} makes request {@code i} of a round.
 *
 * @param base {@code scheme://host[:port]}, the server
 * @param method the method, e.g. {@code POST}
 * @param target the path and query, placeholders unfilled
 * @param headers the header lines, placeholders unfilled; no {@code Content-Length}, it is computed
 * @param body the body, placeholders unfilled, empty when there is none
 */
record RequestTemplate(URI base, String method, String target, List<Map.Entry<String, String>> headers,
        byte[] body) {

    /** The content type of a body given with -d when no Content-Type header is given, as curl does. */
    static final String FORM = "application/x-www-form-urlencoded";

    RequestTemplate {
        headers = List.copyOf(headers);
    }

    /**
     * Splits {@code url} into the server and the request target, leaving placeholders in the target.
     *
     * @throws IllegalArgumentException naming the URL if it is not an absolute http or https URL
     */
    static Map.Entry<URI, String> split(String url) {
        int schemeEnd = url.indexOf("://");
        String scheme = schemeEnd < 0 ? "" : url.substring(0, schemeEnd).toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new IllegalArgumentException("URL '" + url + "' must start with http:// or https://");
        }
        int targetStart = schemeEnd + 3;
        while (targetStart < url.length() && url.charAt(targetStart) != '/' && url.charAt(targetStart) != '?') {
            targetStart++;
        }
        String authority = url.substring(schemeEnd + 3, targetStart);
        String target = url.substring(targetStart);
        if (target.startsWith("?")) {
            target = "/" + target;
        }
        URI base;
        try {
            base = URI.create(scheme + "://" + authority);
        } catch (IllegalArgumentException malformed) {
            throw new IllegalArgumentException("URL '" + url + "' has no valid host: " + malformed.getMessage());
        }
        if (base.getHost() == null || base.getRawUserInfo() != null) {
            throw new IllegalArgumentException("URL '" + url + "' must name a host, without user info (use -u)");
        }
        return Map.entry(base, target.isEmpty() ? "/" : target);
    }

    /**
     * @param index the request's index in its round
     * @return the request with its placeholders filled
     * @throws IllegalArgumentException if the filled target, a header or the method is not valid HTTP
     */
    RaceRequest request(int index) {
        RaceRequest request = RaceRequest.of(method, Placeholders.fill(target, index));
        String contentType = null;
        for (Map.Entry<String, String> header : headers) {
            if (header.getKey().equalsIgnoreCase("Content-Type")) {
                contentType = Placeholders.fill(header.getValue(), index);
            } else {
                request = request.header(header.getKey(), Placeholders.fill(header.getValue(), index));
            }
        }
        if (body.length > 0 || contentType != null) {
            request = request.body(contentType == null ? FORM : contentType, Placeholders.fill(body, index));
        }
        return request;
    }
}
