package io.raceguard.cli;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * Fills the per-request placeholders: {@code {i}}, the request's index in its round (0 to N-1), and
 * {@code {uuid}}, a fresh random UUID at each occurrence. Stateless and thread-safe.
 */
final class Placeholders {

    static final String INDEX = "{i}";
    static final String UUID_PLACEHOLDER = "{uuid}";

    private Placeholders() {}

    static boolean present(String text) {
        return text.contains(INDEX) || text.contains(UUID_PLACEHOLDER);
    }

    static String fill(String text, int index) {
        if (!present(text)) {
            return text;
        }
        StringBuilder filled = new StringBuilder(text.length() + 32);
        int from = 0;
        while (true) {
            int at = text.indexOf('{', from);
            if (at < 0) {
                return filled.append(text, from, text.length()).toString();
            }
            filled.append(text, from, at);
            if (text.startsWith(INDEX, at)) {
                filled.append(index);
                from = at + INDEX.length();
            } else if (text.startsWith(UUID_PLACEHOLDER, at)) {
                filled.append(UUID.randomUUID());
                from = at + UUID_PLACEHOLDER.length();
            } else {
                filled.append('{');
                from = at + 1;
            }
        }
    }

    /** Fills the placeholders in a body, leaving every other byte as it is, binary bodies included. */
    static byte[] fill(byte[] body, int index) {
        // ISO-8859-1 maps every byte to one char and back, and the filled values are ASCII.
        String asLatin1 = new String(body, StandardCharsets.ISO_8859_1);
        return present(asLatin1) ? fill(asLatin1, index).getBytes(StandardCharsets.ISO_8859_1) : body;
    }
}
