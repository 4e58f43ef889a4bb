package io.raceguard.testing.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.ProtocolException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads one HTTP/1.1 response (RFC 9112): skips interim 1xx responses, then reads the status line, the
 * header fields and the body framed as section 6.3 says: none for {@code HEAD}, 1xx, 204 and 304;
 * chunked (with trailer fields) when chunked is the final transfer coding; {@code Content-Length}
 * bytes; otherwise everything until the server closes the connection.
 */
final class ResponseParser {

    private static final int MAX_FIELDS = 1000;

    private final HttpInput in;

    ResponseParser(HttpInput in) {
        this.in = in;
    }

    /**
     * @param expectsBody {@code false} for the response to a {@code HEAD} request
     * @throws ProtocolException if the response breaks the grammar or a limit
     */
    ParsedResponse read(boolean expectsBody) throws IOException {
        String statusLine = in.readLine();
        int status = statusOf(statusLine);
        while (status >= 100 && status < 200) {
            if (status == 101) {
                throw new ProtocolException("the server switched protocols (101), which the race never asks for");
            }
            readFields();
            statusLine = in.readLine();
            status = statusOf(statusLine);
        }
        String reason = statusLine.length() > 13 ? statusLine.substring(13) : "";
        Map<String, List<String>> headers = readFields();
        Map<String, List<String>> trailers = Map.of();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        if (expectsBody && status != 204 && status != 304) {
            List<String> codings = listValues(headers.get("Transfer-Encoding"));
            if (!codings.isEmpty()) {
                if (codings.get(codings.size() - 1).equalsIgnoreCase("chunked")) {
                    trailers = readChunks(body);
                } else {
                    in.readToEnd(body);
                }
            } else if (headers.containsKey("Content-Length")) {
                in.readExactly(contentLength(headers.get("Content-Length")), body);
            } else {
                in.readToEnd(body);
            }
        }
        return new ParsedResponse(status, reason, headers, trailers, body.toByteArray());
    }

    private static int statusOf(String line) throws ProtocolException {
        boolean wellFormed = line.length() >= 12 && line.startsWith("HTTP/1.") && line.charAt(8) == ' '
                && Character.isDigit(line.charAt(9)) && Character.isDigit(line.charAt(10))
                && Character.isDigit(line.charAt(11)) && (line.length() == 12 || line.charAt(12) == ' ');
        if (!wellFormed) {
            throw new ProtocolException("not an HTTP/1.x status line");
        }
        return Integer.parseInt(line.substring(9, 12));
    }

    private Map<String, List<String>> readFields() throws IOException {
        Map<String, List<String>> fields = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        List<String> previous = null;
        int count = 0;
        for (String line = in.readLine(); !line.isEmpty(); line = in.readLine()) {
            if (++count > MAX_FIELDS) {
                throw new ProtocolException("a response has more than " + MAX_FIELDS + " header fields");
            }
            if (line.charAt(0) == ' ' || line.charAt(0) == '\t') {
                if (previous == null) {
                    throw new ProtocolException("a header continuation line has no header to continue");
                }
                int last = previous.size() - 1;
                previous.set(last, (previous.get(last) + " " + line.strip()).strip());
                continue;
            }
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw new ProtocolException("a header line has no name");
            }
            String name = line.substring(0, colon);
            try {
                HttpSyntax.requireToken(name, "header name");
            } catch (IllegalArgumentException notAToken) {
                throw new ProtocolException("a header name is not an HTTP token");
            }
            previous = fields.computeIfAbsent(name, ignored -> new ArrayList<>());
            previous.add(line.substring(colon + 1).strip());
        }
        Map<String, List<String>> frozen = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        fields.forEach((name, values) -> frozen.put(name, List.copyOf(values)));
        return Collections.unmodifiableMap(frozen);
    }

    private Map<String, List<String>> readChunks(ByteArrayOutputStream body) throws IOException {
        while (true) {
            long size = chunkSize(in.readLine());
            if (size == 0) {
                return readFields();
            }
            in.readExactly(size, body);
            if (!in.readLine().isEmpty()) {
                throw new ProtocolException("a chunk is longer than its declared size");
            }
        }
    }

    private static long chunkSize(String line) throws ProtocolException {
        int end = line.indexOf(';');
        String hex = (end < 0 ? line : line.substring(0, end)).strip();
        if (hex.isEmpty() || hex.length() > 15) {
            throw new ProtocolException("a chunk size line is empty or too long");
        }
        try {
            return Long.parseLong(hex, 16);
        } catch (NumberFormatException notHex) {
            throw new ProtocolException("a chunk size is not hexadecimal");
        }
    }

    private static long contentLength(List<String> values) throws ProtocolException {
        List<String> lengths = listValues(values);
        if (lengths.isEmpty()) {
            throw new ProtocolException("the Content-Length header is empty");
        }
        String first = lengths.get(0);
        boolean valid = !first.isEmpty() && first.length() <= 18 && first.chars().allMatch(Character::isDigit);
        if (!valid || lengths.stream().anyMatch(length -> !length.equals(first))) {
            throw new ProtocolException("the Content-Length header is not one whole number");
        }
        return Long.parseLong(first);
    }

    private static List<String> listValues(List<String> values) {
        List<String> items = new ArrayList<>();
        if (values != null) {
            for (String value : values) {
                for (String item : value.split(",")) {
                    if (!item.isBlank()) {
                        items.add(item.strip().toLowerCase(Locale.ROOT));
                    }
                }
            }
        }
        return items;
    }
}
