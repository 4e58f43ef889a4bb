package io.raceguard.testing.http;

import static java.util.Objects.requireNonNull;

/**
 * The HTTP/1.1 grammar rules (RFC 9110, RFC 9112) a request must follow before any byte is written.
 * Refusing CR and LF in every field is what keeps a caller's value from ending a header early and
 * smuggling a second request onto the connection.
 */
final class HttpSyntax {

    private static final String TOKEN_SYMBOLS = "!#$%&'*+-.^_`|~";

    private HttpSyntax() {}

    /**
     * @return {@code value}
     * @throws IllegalArgumentException if it is empty or holds a character that is not a token character
     */
    static String requireToken(String value, String name) {
        requireNonNull(value, name);
        if (value.isEmpty()) {
            throw new IllegalArgumentException(name + " must not be empty");
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            boolean tokenChar = (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z')
                    || TOKEN_SYMBOLS.indexOf(c) >= 0;
            if (!tokenChar) {
                throw new IllegalArgumentException(name + " must be an HTTP token (letters, digits or "
                        + TOKEN_SYMBOLS + "), has " + describe(c) + " at index " + i);
            }
        }
        return value;
    }

    /**
     * A field value: visible Latin-1 characters, spaces and tabs, nothing else.
     *
     * @return {@code value}
     * @throws IllegalArgumentException if it holds CR, LF, NUL, another control character or a character
     *     outside ISO-8859-1
     */
    static String requireFieldValue(String value, String name) {
        requireNonNull(value, name);
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\r' || c == '\n') {
                throw new IllegalArgumentException(name + " must not contain CR or LF (request smuggling), has "
                        + describe(c) + " at index " + i);
            }
            if ((c < 0x20 && c != '\t') || c == 0x7F || c > 0xFF) {
                throw new IllegalArgumentException(name + " must hold only visible ISO-8859-1 characters, spaces"
                        + " and tabs, has " + describe(c) + " at index " + i);
            }
        }
        return value;
    }

    /**
     * A request target in origin form: a path starting with one {@code /} (two would read as a host to
     * some servers), optionally a query, written in visible ASCII (percent-encode anything else).
     *
     * @return {@code target}
     * @throws IllegalArgumentException if it is not in origin form
     */
    static String requireOriginForm(String target, String name) {
        requireNonNull(target, name);
        if (!target.startsWith("/") || target.startsWith("//")) {
            throw new IllegalArgumentException(name + " must be a path in origin form starting with one '/'; an"
                    + " absolute URI is refused, the scheme, host and port come from HttpRace.to(base)");
        }
        for (int i = 0; i < target.length(); i++) {
            char c = target.charAt(i);
            if (c <= 0x20 || c >= 0x7F || c == '#') {
                throw new IllegalArgumentException(name + " must hold only visible ASCII without '#'"
                        + " (percent-encode the rest), has " + describe(c) + " at index " + i);
            }
        }
        return target;
    }

    private static String describe(char c) {
        return c > 0x20 && c < 0x7F ? "'" + c + "'" : String.format("U+%04X", (int) c);
    }
}
