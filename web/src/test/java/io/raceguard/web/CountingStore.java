package io.raceguard.web;

import io.raceguard.idempotency.IdempotencyKey;
import io.raceguard.idempotency.spi.IdempotencyRecord;
import io.raceguard.idempotency.spi.IdempotencyStore;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/** A real store that counts every call made to it, so a test can tell that bad input never got there. */
final class CountingStore implements IdempotencyStore {

    private final IdempotencyStore store;
    private final AtomicInteger calls = new AtomicInteger();

    CountingStore(IdempotencyStore store) {
        this.store = store;
    }

    int calls() {
        return calls.get();
    }

    @Override
    public Optional<IdempotencyRecord> claim(
            IdempotencyKey key, byte[] fingerprint, String owner, Duration lease, Duration retention) {
        calls.incrementAndGet();
        return store.claim(key, fingerprint, owner, lease, retention);
    }

    @Override
    public boolean complete(IdempotencyKey key, String owner, byte[] response, Duration retention) {
        calls.incrementAndGet();
        return store.complete(key, owner, response, retention);
    }

    @Override
    public boolean release(IdempotencyKey key, String owner) {
        calls.incrementAndGet();
        return store.release(key, owner);
    }

    @Override
    public boolean takeOver(IdempotencyKey key, String expectedOwner, String newOwner, Duration lease) {
        calls.incrementAndGet();
        return store.takeOver(key, expectedOwner, newOwner, lease);
    }
}
