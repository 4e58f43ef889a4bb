package io.raceguard.spring;

import io.raceguard.counter.Counters;
import io.raceguard.idempotency.spi.IdempotencyStore;
import io.raceguard.lock.LockManager;

/**
 * The primitives of one backend, and what closes with them.
 *
 * @param backend which backend
 * @param locks its lock manager, closed with this
 * @param counters its counters
 * @param idempotencyStore its idempotency store
 * @param rateLimiters its rate limiter factory
 * @param owned a client this starter opened for the backend, closed with this
 */
record RaceguardStores(Backend backend, LockManager locks, Counters counters, IdempotencyStore idempotencyStore,
        RateLimiters rateLimiters, AutoCloseable owned) implements AutoCloseable {

    @Override
    public void close() throws Exception {
        try {
            locks.close();
        } finally {
            owned.close();
        }
    }
}
