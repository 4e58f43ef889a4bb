package io.raceguard.web;

import static java.util.Objects.requireNonNull;

import io.raceguard.idempotency.IdempotentResult;

/**
 * The HTTP status of each {@link IdempotentResult}, following {@code draft-ietf-httpapi-idempotency-key-header}:
 * for code that calls {@link io.raceguard.idempotency.Idempotency} itself rather than through
 * {@link IdempotencyFilter}. Stateless and thread-safe.
 */
public final class IdempotencyStatus {

    /** A request that needs an idempotency key came without one, or with a malformed one. */
    public static final int MISSING_OR_MALFORMED_KEY = 400;

    /** A request with the same key is still being processed. */
    public static final int IN_PROGRESS = 409;

    /** The key was used before with another request. */
    public static final int KEY_REUSED = 422;

    private IdempotencyStatus() {}

    /**
     * @param result what {@code Idempotency.execute} answered
     * @return 200 for {@code Executed} and {@code Replayed} (callers that record their own status in
     *     the result should answer with that), 409 for {@code InProgress}, 422 for {@code KeyReused}
     * @throws NullPointerException if {@code result} is null
     */
    public static int of(IdempotentResult<?> result) {
        requireNonNull(result, "result");
        if (result instanceof IdempotentResult.InProgress<?>) {
            return IN_PROGRESS;
        }
        if (result instanceof IdempotentResult.KeyReused<?>) {
            return KEY_REUSED;
        }
        return 200;
    }
}
