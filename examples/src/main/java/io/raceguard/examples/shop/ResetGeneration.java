package io.raceguard.examples.shop;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts the shop's resets. A rate limiter and an idempotency store forget only by expiry, so the
 * guarded endpoints put the generation into their limiter and idempotency keys: after
 * {@code POST /reset} every key is new, on every backend, and nothing needs deleting. Thread-safe.
 */
final class ResetGeneration {

    private final AtomicLong generation = new AtomicLong();

    long current() {
        return generation.get();
    }

    void advance() {
        generation.incrementAndGet();
    }
}
