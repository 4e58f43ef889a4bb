package io.raceguard.cli;

import io.raceguard.testing.http.HttpRace;
import io.raceguard.testing.http.HttpRaceException;
import io.raceguard.testing.http.RaceRequest;
import io.raceguard.testing.http.RaceResponse;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A plain request around the race, {@code --before-each} or {@code --state}: one HTTP/1.1 request with
 * the race's timeouts and TLS trust, and the command's headers that carry no placeholder (other than
 * {@code Content-Type}), so that it passes the same authentication. Immutable and thread-safe.
 *
 * @param option the option that gave it, for messages
 * @param race where it goes and how
 * @param request the request
 */
record SideRequest(String option, HttpRace race, RaceRequest request) {

    /**
     * @param methodAndUrl e.g. {@code [GET, http://127.0.0.1:8080/state/naive]}
     * @param headers the command's headers
     * @throws IllegalArgumentException naming the option if the method or URL is not valid
     */
    static SideRequest of(String option, List<String> methodAndUrl, List<Map.Entry<String, String>> headers,
            Duration timeout, boolean insecure) {
        try {
            Map.Entry<URI, String> where = RequestTemplate.split(methodAndUrl.get(1));
            HttpRace race = HttpRace.to(where.getKey()).connectTimeout(timeout).readTimeout(timeout);
            RaceRequest request = RaceRequest.of(methodAndUrl.get(0), where.getValue());
            for (Map.Entry<String, String> header : headers) {
                if (!Placeholders.present(header.getValue()) && !header.getKey().equalsIgnoreCase("Content-Type")) {
                    request = request.header(header.getKey(), header.getValue());
                }
            }
            return new SideRequest(option, insecure ? race.trustAllCertificatesInsecurely() : race, request);
        } catch (IllegalArgumentException bad) {
            throw new IllegalArgumentException(option + " " + String.join(" ", methodAndUrl) + ": " + bad.getMessage(),
                    bad);
        }
    }

    /**
     * @return the response body
     * @throws IOException naming the option if the request fails or answers other than 2xx
     */
    String send() throws IOException {
        RaceResponse response;
        try {
            response = race.fire(request, 1).response(0);
        } catch (HttpRaceException failed) {
            throw new IOException(describe() + " failed: " + failed.getMessage(), failed);
        }
        if (response.status() / 100 != 2) {
            throw new IOException(describe() + " answered " + response.status());
        }
        return response.bodyText();
    }

    /** Reads the number at {@code pointer} in the response. */
    BigDecimal read(JsonPointer pointer) throws IOException {
        String body = send();
        try {
            return pointer.number(body);
        } catch (IllegalArgumentException unreadable) {
            throw new IOException(describe() + ": " + unreadable.getMessage(), unreadable);
        }
    }

    private String describe() {
        return option + " " + request.method() + " " + race;
    }
}
