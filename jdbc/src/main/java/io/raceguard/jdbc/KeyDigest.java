package io.raceguard.jdbc;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The primary key of every store table: the SHA-256 of a key's UTF-8 bytes. Keys may be 8 KiB long
 * (more than a btree entry holds) and must compare byte for byte (MariaDB's collations fold case and
 * trailing spaces), so rows are found by this digest, never by the key text.
 *
 * <p>A key made of several parts (a scope and a key, a policy and a key) is digested with a NUL byte
 * between the parts. {@link io.raceguard.internal.Inputs#requireKey} refuses NUL in every part, so two
 * different part lists never produce the same bytes: {@code ("a:b", "c")} and {@code ("a", "b:c")} stay
 * apart.
 */
final class KeyDigest {

    static final int LENGTH = 32;

    private KeyDigest() {}

    /**
     * @param parts the parts of the key, each already checked by {@link io.raceguard.internal.Inputs#requireKey}
     * @return the 32-byte SHA-256 of the parts' UTF-8 bytes joined by NUL bytes
     */
    static byte[] of(String... parts) {
        MessageDigest sha256 = newSha256();
        for (int i = 0; i < parts.length; i++) {
            if (i > 0) {
                sha256.update((byte) 0);
            }
            sha256.update(parts[i].getBytes(StandardCharsets.UTF_8));
        }
        return sha256.digest();
    }

    private static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform must provide SHA-256", e);
        }
    }
}
