package io.raceguard.jdbc;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The primary key of a store row: the SHA-256 of the key's UTF-8 bytes. Keys may be up to 8 KiB,
 * more than a btree index holds, and MariaDB collations would fold "key" and "Key" together; the
 * hash is short, fixed-size and compares byte for byte. Two keys share a row only if SHA-256
 * collides. Stateless and thread-safe.
 */
final class KeyHash {

    private KeyHash() {}

    /** @return the 32-byte SHA-256 of {@code key} in UTF-8 */
    static byte[] of(String key) {
        return sha256().digest(key.getBytes(StandardCharsets.UTF_8));
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException impossible) {
            throw new IllegalStateException("every Java platform must provide SHA-256", impossible);
        }
    }
}
