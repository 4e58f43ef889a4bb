package io.raceguard.redis;

import static java.util.Objects.requireNonNull;

import java.nio.charset.StandardCharsets;

/**
 * Names the Redis keys of one caller key so that every key a script touches for it lands in one
 * Redis Cluster hash slot: {@code <prefix>{<caller key>}}, plus suffixes after the closing brace.
 *
 * <p>Redis hashes only the text between the first {@code {} and the first {@code }} after it, so
 * the caller key is escaped to hold no {@code }}: {@code %} becomes {@code %25} and {@code }} becomes
 * {@code %7D}. The escape is injective (two caller keys never share a Redis key) and keeps the tag
 * non-empty (an empty tag would make Redis hash the whole name, splitting a key from its companions).
 * The prefix may hold neither brace, so the tag always starts where this class puts it.
 *
 * <p>Stateless and thread-safe.
 */
final class SlotKeys {

    /** The longest namespace prefix accepted, in characters. */
    static final int MAX_PREFIX_LENGTH = 256;

    private SlotKeys() {}

    /**
     * @param prefix the namespace prefix to check
     * @return {@code prefix}
     * @throws NullPointerException if {@code prefix} is null
     * @throws IllegalArgumentException if it holds a brace or is longer than {@value #MAX_PREFIX_LENGTH}
     */
    static String requirePrefix(String prefix) {
        requireNonNull(prefix, "keyPrefix");
        if (prefix.length() > MAX_PREFIX_LENGTH) {
            throw new IllegalArgumentException(
                    "keyPrefix must be at most " + MAX_PREFIX_LENGTH + " characters, was " + prefix.length());
        }
        if (prefix.indexOf('{') >= 0 || prefix.indexOf('}') >= 0) {
            throw new IllegalArgumentException("keyPrefix must not contain '{' or '}' (they would move the hash tag)");
        }
        return prefix;
    }

    /**
     * @param prefix a prefix accepted by {@link #requirePrefix}
     * @param key a caller key, already validated
     * @return {@code <prefix>{<escaped key>}}
     */
    static String tagged(String prefix, String key) {
        return prefix + '{' + escape(key) + '}';
    }

    /**
     * {@link #tagged(String, String)} in UTF-8, built straight into bytes for hot paths that send
     * binary arguments, so no intermediate {@code String} is made.
     *
     * @param prefixUtf8 the UTF-8 bytes of a prefix accepted by {@link #requirePrefix}; not changed
     * @param key a caller key, already validated
     * @return the UTF-8 bytes of {@code <prefix>{<escaped key>}}, a new array
     */
    static byte[] taggedUtf8(byte[] prefixUtf8, String key) {
        byte[] tag = escape(key).getBytes(StandardCharsets.UTF_8);
        byte[] tagged = new byte[prefixUtf8.length + tag.length + 2];
        System.arraycopy(prefixUtf8, 0, tagged, 0, prefixUtf8.length);
        tagged[prefixUtf8.length] = '{';
        System.arraycopy(tag, 0, tagged, prefixUtf8.length + 1, tag.length);
        tagged[tagged.length - 1] = '}';
        return tagged;
    }

    private static String escape(String key) {
        if (key.indexOf('}') < 0 && key.indexOf('%') < 0) {
            return key;
        }
        StringBuilder escaped = new StringBuilder(key.length() + 16);
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            switch (c) {
                case '%' -> escaped.append("%25");
                case '}' -> escaped.append("%7D");
                default -> escaped.append(c);
            }
        }
        return escaped.toString();
    }
}
