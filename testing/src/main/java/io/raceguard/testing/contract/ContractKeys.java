package io.raceguard.testing.contract;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.raceguard.internal.Inputs;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Keys for the contract kits: unique to one kit instance, so that kits can run against shared
 * servers, plus the awkward and the invalid keys every backend must handle. Not thread-safe: used by
 * the test thread.
 */
final class ContractKeys {

    /** Characters of 2, 3 and 4 UTF-8 bytes. */
    private static final String MULTI_BYTE = "ж€\uD83D\uDE00";

    private static final List<String> AWKWARD = List.of(
            "it's",
            "\"double quoted\"",
            "back`tick",
            "semi;colon",
            "'; DROP TABLE raceguard; --",
            "' OR '1'='1",
            "back\\slash",
            "\\'",
            "100%",
            "under_score",
            "line\nbreak",
            "carriage\r\nreturn",
            "tab\t",
            "trailing space ",
            "trailing space",
            "]] .. redis.call('FLUSHALL') .. [[",
            "\") redis.call(\"FLUSHALL\") --",
            "{hash}tag",
            "star*",
            "question?",
            "[a-z]",
            "$1",
            "KEYS[1]",
            "%s%d",
            "Key",
            "key",
            "KEY",
            "\u00e9",
            "e\u0301",
            "stra\u00dfe",
            "strasse",
            "\ufb01",
            "fi",
            "\u00a0no-break space",
            "\uFEFFbyte order mark",
            "\u202Eright-to-left",
            "ticket \uD83C\uDF9F",
            "null",
            "NULL",
            ":",
            "::",
            "0",
            "-1",
            "1e3");

    private final String prefix = "raceguard-contract:" + UUID.randomUUID() + ":";

    /**
     * @param name what the key is for
     * @return a key no other kit instance uses
     */
    String unique(String name) {
        return prefix + name;
    }

    /**
     * @return unique keys with quotes, newlines, SQL, Lua and Redis pattern characters, and look-alikes
     *     that a case-insensitive, space-padding or normalizing store would merge; all distinct
     */
    List<String> awkward() {
        return AWKWARD.stream().map(this::unique).toList();
    }

    /**
     * @param name what the key is for, ASCII
     * @param bytes the length wanted, longer than the prefix and the name
     * @return a unique key of exactly {@code bytes} UTF-8 bytes, mostly 2, 3 and 4-byte characters,
     *     ending with an ASCII {@code 'a'}
     */
    String ofUtf8Bytes(String name, int bytes) {
        String start = unique(name);
        StringBuilder key = new StringBuilder(start);
        int length = start.length();
        int cycleBytes = MULTI_BYTE.getBytes(UTF_8).length;
        while (length + cycleBytes < bytes) {
            key.append(MULTI_BYTE);
            length += cycleBytes;
        }
        key.append("a".repeat(bytes - length));
        return key.toString();
    }

    /**
     * @param key a key ending with {@code 'a'}
     * @return the same key with its last character changed: as long, but distinct only at the end
     */
    static String withLastCharacterChanged(String key) {
        return key.substring(0, key.length() - 1) + "b";
    }

    /**
     * @param name what the keys are for, ASCII
     * @return keys every backend must reject, each with the exception it must throw; the over-long one
     *     is {@code ofUtf8Bytes(name, Inputs.MAX_KEY_BYTES)} plus one byte
     */
    List<InvalidKey> invalid(String name) {
        Class<IllegalArgumentException> illegal = IllegalArgumentException.class;
        return List.of(
                new InvalidKey("null", null, NullPointerException.class),
                new InvalidKey("empty", "", illegal),
                new InvalidKey("blank", " \t\n", illegal),
                new InvalidKey("one byte too long", ofUtf8Bytes(name, Inputs.MAX_KEY_BYTES) + "a", illegal),
                new InvalidKey("too long in bytes, not in characters",
                        unique(name + "€".repeat(Inputs.MAX_KEY_BYTES / 3)), illegal),
                new InvalidKey("unpaired high surrogate", unique(name + "\uD800"), illegal),
                new InvalidKey("unpaired low surrogate", unique(name + "\uDC00x"), illegal),
                new InvalidKey("reversed surrogate pair", unique(name + "\uDE00\uD83D"), illegal),
                new InvalidKey("NUL character", unique(name + "\u0000"), illegal));
    }

    /**
     * @param key a key
     * @return the key in quotes, with control and non-ASCII characters escaped, for failure messages
     */
    static String printable(String key) {
        return key.chars()
                .mapToObj(c -> c < 0x20 || c > 0x7e ? String.format("\\u%04x", c) : Character.toString(c))
                .collect(Collectors.joining("", "\"", "\""));
    }

    /**
     * A key every backend must reject.
     *
     * @param description what is wrong with it
     * @param key the key, possibly {@code null}
     * @param expected the exception the backend must throw
     */
    record InvalidKey(String description, String key, Class<? extends RuntimeException> expected) {}
}
