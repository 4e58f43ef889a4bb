package io.raceguard.idempotency;

/**
 * The work an idempotency key protects; its own checked exception passes straight through.
 *
 * @param <T> the result type
 * @param <X> the checked exception the work may throw
 */
@FunctionalInterface
public interface IdempotentWork<T, X extends Exception> {
    /**
     * @return the result to record and replay, never null
     * @throws X the work's own failure; nothing is recorded and the key is freed for a retry
     */
    T run() throws X;
}
