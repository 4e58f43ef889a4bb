package io.raceguard.idempotency;

import java.security.SecureRandom;
import java.util.HexFormat;

/** Mints the random token that fences one caller's claim against every other caller's. */
final class OwnerTokens {

    private static final int TOKEN_BYTES = 16;
    private static final SecureRandom RANDOM = new SecureRandom();

    private OwnerTokens() {}

    /** @return 128 random bits as 32 lowercase hex digits */
    static String next() {
        byte[] token = new byte[TOKEN_BYTES];
        RANDOM.nextBytes(token);
        return HexFormat.of().formatHex(token);
    }
}
