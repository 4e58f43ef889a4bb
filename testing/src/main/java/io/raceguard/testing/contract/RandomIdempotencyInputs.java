package io.raceguard.testing.contract;

import io.raceguard.idempotency.IdempotencyKey;
import java.security.SecureRandom;
import java.util.HexFormat;

/** Fresh random scopes, keys, owner tokens and fingerprints, so that tests sharing a store never meet. */
final class RandomIdempotencyInputs {

    private static final SecureRandom RANDOM = new SecureRandom();

    private RandomIdempotencyInputs() {}

    /** @return a scope prefix no other test uses, ending in a separator */
    static String randomScope() {
        return "raceguard-test:" + hex(8) + ":";
    }

    /** @return a key in a scope no other test uses */
    static IdempotencyKey randomKey() {
        return IdempotencyKey.of(randomScope() + "POST /charges", hex(16));
    }

    /** @return a token shaped like the ones {@code Idempotency} mints: 128 random bits in hex */
    static String randomOwner() {
        return hex(16);
    }

    /** @return 32 random bytes, the size of a SHA-256 fingerprint */
    static byte[] randomFingerprint() {
        byte[] fingerprint = new byte[32];
        RANDOM.nextBytes(fingerprint);
        return fingerprint;
    }

    private static String hex(int bytes) {
        byte[] random = new byte[bytes];
        RANDOM.nextBytes(random);
        return HexFormat.of().formatHex(random);
    }
}
