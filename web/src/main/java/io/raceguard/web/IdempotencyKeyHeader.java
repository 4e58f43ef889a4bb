package io.raceguard.web;

import java.util.List;

/**
 * Reads the {@code Idempotency-Key} header: an RFC 8941 sf-string ({@code "..."}, printable ASCII,
 * {@code \"} and {@code \\} escaped), or a bare value of RFC 9110 token characters plus {@code :} and
 * {@code /}, which is what most clients send (an unquoted UUID is not an sf-token, since it may start
 * with a digit). Stateless and thread-safe.
 */
final class IdempotencyKeyHeader {

    static final String NAME = "Idempotency-Key";

    private IdempotencyKeyHeader() {}

    /**
     * @param values every value of the header in the request, none if it is absent
     * @param maxLength the longest key accepted, in characters
     * @return the key
     * @throws BadRequestException if there is not exactly one value, or it is malformed or too long
     */
    static String parse(List<String> values, int maxLength) throws BadRequestException {
        if (values.size() != 1) {
            throw bad("send exactly one " + NAME + " header, not " + values.size());
        }
        String value = values.get(0).strip();
        String key = value.startsWith("\"") ? unquote(value) : bareToken(value);
        if (key.isBlank()) {
            throw bad(NAME + " must not be empty");
        }
        if (key.length() > maxLength) {
            throw bad(NAME + " must be at most " + maxLength + " characters, was " + key.length());
        }
        return key;
    }

    private static String unquote(String value) throws BadRequestException {
        StringBuilder key = new StringBuilder(value.length());
        for (int i = 1; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '"') {
                if (i != value.length() - 1) {
                    throw bad(NAME + " must be one sf-string with nothing after its closing quote");
                }
                return key.toString();
            }
            if (c == '\\') {
                char escaped = ++i < value.length() ? value.charAt(i) : 0;
                if (escaped != '"' && escaped != '\\') {
                    throw bad(NAME + " may only escape '\"' and '\\' in an sf-string");
                }
                c = escaped;
            } else if (c < 0x20 || c > 0x7e) {
                throw bad(NAME + " may only hold printable ASCII characters");
            }
            key.append(c);
        }
        throw bad(NAME + " has an sf-string without its closing quote");
    }

    private static String bareToken(String value) throws BadRequestException {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (!Options.isTokenChar(c) && c != ':' && c != '/') {
                throw bad(NAME + " must be an sf-string or a bare token; character " + (i + 1) + " is not allowed");
            }
        }
        return value;
    }

    private static BadRequestException bad(String detail) {
        return new BadRequestException(Problem.of(400, detail));
    }
}
