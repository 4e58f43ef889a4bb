package io.raceguard.idempotency;

import io.raceguard.idempotency.spi.IdempotencyStore;
import java.nio.charset.StandardCharsets;

/**
 * Turns a work result into the bytes an {@link IdempotencyStore} keeps, and back. Implementations
 * must be thread-safe and must round-trip exactly: {@code decode(encode(v))} equals {@code v}.
 *
 * @param <T> the result type
 */
public interface IdempotencyCodec<T> {

    /**
     * @param value a result, never null
     * @return its bytes
     */
    byte[] encode(T value);

    /**
     * @param bytes bytes produced by {@link #encode}
     * @return the result
     */
    T decode(byte[] bytes);

    /** @return a codec for strings, as UTF-8 */
    static IdempotencyCodec<String> utf8() {
        return new IdempotencyCodec<>() {
            @Override
            public byte[] encode(String value) {
                return value.getBytes(StandardCharsets.UTF_8);
            }

            @Override
            public String decode(byte[] bytes) {
                return new String(bytes, StandardCharsets.UTF_8);
            }
        };
    }

    /** @return the identity codec for raw bytes (arrays are copied both ways) */
    static IdempotencyCodec<byte[]> bytes() {
        return new IdempotencyCodec<>() {
            @Override
            public byte[] encode(byte[] value) {
                return value.clone();
            }

            @Override
            public byte[] decode(byte[] bytes) {
                return bytes.clone();
            }
        };
    }
}
