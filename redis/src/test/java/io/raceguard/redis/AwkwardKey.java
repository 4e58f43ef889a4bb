package io.raceguard.redis;

import java.util.UUID;

/** A key that would break any script it were spliced into, and its look-alike after a naive escape. */
final class AwkwardKey {

    private AwkwardKey() {}

    /** @return a fresh key with Lua metacharacters, quotes, braces, newlines and about 4 KB of UTF-8 */
    static String luaMetacharactersQuotesNewlinesAndFourKilobytesOfUtf8() {
        return "]]'\"\\ redis.call('FLUSHALL') -- %7D } { \n\r\t " + UUID.randomUUID() + "äöü€😀中文".repeat(220);
    }

    /** @return the key with its closing braces written as their escape: a different key that must stay apart */
    static String escapedTwin(String key) {
        return key.replace("}", "%7D");
    }
}
