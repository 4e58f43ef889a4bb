package io.raceguard.lock;

import java.security.SecureRandom;
import java.util.HexFormat;

/** Mints lease owner tokens: 128 random bits in lower-case hex. Thread-safe. */
final class OwnerTokens {

    /** One generator for the whole JVM: seeding is costly and {@link SecureRandom} is thread-safe. */
    private static final SecureRandom RANDOM = new SecureRandom();

    private static final int TOKEN_BYTES = 16;

    private OwnerTokens() {}

    /** @return a fresh token of 32 hex characters */
    static String next() {
        byte[] bits = new byte[TOKEN_BYTES];
        RANDOM.nextBytes(bits);
        return HexFormat.of().formatHex(bits);
    }
}
