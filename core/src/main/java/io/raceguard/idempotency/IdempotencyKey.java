package io.raceguard.idempotency;

import io.raceguard.internal.Inputs;

/**
 * An idempotency key within its scope. The scope names who is asking and for what (for example
 * {@code "user:42:POST /charges"}); it is mandatory, so that one principal's key can never replay
 * another principal's response.
 *
 * <p>Immutable and thread-safe.
 *
 * @param scope the principal and operation, following {@link Inputs#requireKey}
 * @param key the client's key (the {@code Idempotency-Key} header), following {@link Inputs#requireKey}
 */
public record IdempotencyKey(String scope, String key) {

    /**
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if an argument is blank, too long or malformed
     */
    public IdempotencyKey {
        Inputs.requireKey(scope, "scope");
        Inputs.requireKey(key, "key");
    }

    /**
     * @param scope the principal and operation
     * @param key the client's key
     * @return the scoped key
     */
    public static IdempotencyKey of(String scope, String key) {
        return new IdempotencyKey(scope, key);
    }
}
