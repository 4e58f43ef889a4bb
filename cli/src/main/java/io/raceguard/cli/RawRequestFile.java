package io.raceguard.cli;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads a raw HTTP request as Burp ("Copy to file"), ZAP or a browser's developer tools export it: a
 * request line, header lines, an empty line and the body, with CRLF or LF line endings.
 *
 * <ul>
 *   <li>The request line is {@code METHOD target [HTTP/x]}; the target is a path or an absolute URL.
 *   <li>The server is the URL given on the command line, else the absolute target's, else
 *       {@code http://} and the {@code Host} header (or the {@code :authority} of an HTTP/2 export).
 *   <li>With {@code Content-Length}, the body is that many bytes: a file whose body is shorter is refused,
 *       bytes after it (an editor's final newline) are dropped. Without it the body is the rest of the file.
 *   <li>{@code Content-Length}, {@code Host}, {@code Connection} and HTTP/2 pseudo-headers are not copied:
 *       the race computes them.
 * </ul>
 * Stateless.
 */
final class RawRequestFile {

    private static final Set<String> COMPUTED = Set.of("content-length", "host", "connection");

    private RawRequestFile() {}

    /**
     * @param file the request file
     * @param server the URL given on the command line, or {@code null}
     * @throws IllegalArgumentException naming the file (and line) if it cannot be read or is not a request
     */
    static RequestTemplate read(Path file, String server) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException unreadable) {
            throw new IllegalArgumentException("request file " + file + " cannot be read: " + unreadable);
        }
        int position = 0;
        int lineNumber = 0;
        String requestLine = null;
        String host = null;
        long contentLength = -1;
        List<Map.Entry<String, String>> headers = new ArrayList<>();
        while (true) {
            int end = indexOf(bytes, (byte) '\n', position);
            if (end < 0 && position >= bytes.length) {
                break;
            }
            int next = end < 0 ? bytes.length : end + 1;
            int lineEnd = end < 0 ? bytes.length : end;
            if (lineEnd > position && bytes[lineEnd - 1] == '\r') {
                lineEnd--;
            }
            String line = new String(bytes, position, lineEnd - position, StandardCharsets.ISO_8859_1);
            position = next;
            lineNumber++;
            if (requestLine == null) {
                requestLine = requireRequestLine(file, line);
                continue;
            }
            if (line.isEmpty()) {
                break;
            }
            int colon = line.indexOf(':', line.startsWith(":") ? 1 : 0);
            if (colon <= 0 || line.charAt(0) == ' ' || line.charAt(0) == '\t') {
                throw new IllegalArgumentException("request file " + file + " line " + lineNumber
                        + " is not a header line (expected 'Name: value'): '" + line + "'");
            }
            String name = line.substring(0, colon).strip();
            String value = line.substring(colon + 1).strip();
            String lower = name.toLowerCase(Locale.ROOT);
            if (lower.equals("host") || lower.equals(":authority")) {
                host = value;
            } else if (lower.equals("content-length")) {
                contentLength = contentLength(file, lineNumber, value);
            }
            if (!COMPUTED.contains(lower) && !name.startsWith(":")) {
                headers.add(Map.entry(name, value));
            }
        }
        if (requestLine == null) {
            throw new IllegalArgumentException("request file " + file + " is empty");
        }
        byte[] body = Arrays.copyOfRange(bytes, Math.min(position, bytes.length), bytes.length);
        if (contentLength >= 0) {
            if (body.length < contentLength) {
                throw new IllegalArgumentException("request file " + file + " sets Content-Length " + contentLength
                        + " but its body has only " + body.length + " bytes");
            }
            body = Arrays.copyOf(body, (int) contentLength);
        }
        String[] parts = requestLine.split(" ");
        Map.Entry<URI, String> where = where(file, parts[1], server, host);
        return new RequestTemplate(where.getKey(), parts[0], where.getValue(), headers, body);
    }

    private static String requireRequestLine(Path file, String line) {
        String[] parts = line.split(" ");
        boolean wellFormed = (parts.length == 2 || parts.length == 3 && parts[2].startsWith("HTTP/"))
                && parts[0].chars().allMatch(c -> c >= 'A' && c <= 'Z');
        if (!wellFormed || parts[0].isEmpty()) {
            throw new IllegalArgumentException("request file " + file + " does not start with a request line"
                    + " ('METHOD /path HTTP/1.1'), has '" + line + "'");
        }
        return line;
    }

    private static Map.Entry<URI, String> where(Path file, String target, String server, String host) {
        Map.Entry<URI, String> absolute = target.startsWith("http://") || target.startsWith("https://")
                ? RequestTemplate.split(target)
                : null;
        String path = absolute == null ? target : absolute.getValue();
        if (server != null) {
            return Map.entry(RequestTemplate.split(server).getKey(), path);
        }
        if (absolute != null) {
            return absolute;
        }
        if (host == null) {
            throw new IllegalArgumentException("request file " + file + " has no Host header; give the server as"
                    + " the URL, e.g. race -r " + file + " https://example.com");
        }
        return Map.entry(RequestTemplate.split("http://" + host).getKey(), path);
    }

    private static long contentLength(Path file, int lineNumber, String value) {
        try {
            long length = Long.parseLong(value);
            if (length >= 0 && length <= Integer.MAX_VALUE) {
                return length;
            }
        } catch (NumberFormatException notANumber) {
            // refused below
        }
        throw new IllegalArgumentException("request file " + file + " line " + lineNumber
                + " has an invalid Content-Length '" + value + "'");
    }

    private static int indexOf(byte[] bytes, byte wanted, int from) {
        for (int i = from; i < bytes.length; i++) {
            if (bytes[i] == wanted) {
                return i;
            }
        }
        return -1;
    }
}
