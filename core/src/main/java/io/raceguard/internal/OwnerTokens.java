package io.raceguard.internal;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;

/**
 * Mints owner tokens, the random values that fence one holder against every other: lease owners of
 * every lock backend and idempotency claimers alike. A token is 128 random bits in lower-case hex.
 * Thread-safe.
 *
 * <p>The bits come from one {@link SecureRandom}, drawn by each thread in batches of
 * {@value #TOKENS_PER_BATCH} tokens: a draw takes that generator's lock (and may read the OS source),
 * which would otherwise cost every acquire a contended lock. Every token still holds 16 bytes of its
 * own from the generator, never shared with another token or thread.
 */
public final class OwnerTokens {

    /** One generator for the whole JVM: seeding is costly and {@link SecureRandom} is thread-safe. */
    private static final SecureRandom RANDOM = new SecureRandom();

    private static final int TOKEN_BYTES = 16;
    private static final int TOKENS_PER_BATCH = 16;
    private static final byte[] HEX_DIGITS = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    private static final ThreadLocal<Batch> BATCHES = ThreadLocal.withInitial(Batch::new);

    private OwnerTokens() {}

    /** @return a fresh token of 32 hex characters */
    public static String next() {
        return BATCHES.get().next();
    }

    /** One thread's unused random bits, and room to encode a token. Confined to its thread. */
    private static final class Batch {
        private final byte[] bits = new byte[TOKEN_BYTES * TOKENS_PER_BATCH];
        private final byte[] hex = new byte[TOKEN_BYTES * 2];
        private int used = bits.length;

        String next() {
            if (used == bits.length) {
                RANDOM.nextBytes(bits);
                used = 0;
            }
            for (int i = 0; i < TOKEN_BYTES; i++) {
                int b = bits[used + i];
                hex[2 * i] = HEX_DIGITS[(b >> 4) & 0xF];
                hex[2 * i + 1] = HEX_DIGITS[b & 0xF];
            }
            // Wipe the bits used, so a token's bits live nowhere but in the token.
            Arrays.fill(bits, used, used + TOKEN_BYTES, (byte) 0);
            used += TOKEN_BYTES;
            return new String(hex, StandardCharsets.US_ASCII);
        }
    }
}
