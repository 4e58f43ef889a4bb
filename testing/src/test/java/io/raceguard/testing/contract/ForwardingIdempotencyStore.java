package io.raceguard.testing.contract;

import io.raceguard.idempotency.IdempotencyKey;
import io.raceguard.idempotency.spi.IdempotencyRecord;
import io.raceguard.idempotency.spi.IdempotencyStore;
import java.time.Duration;
import java.util.Optional;

/**
 * A real store with one transition overridden to inject a fault or a lost race, for the engine paths
 * a healthy store on one thread never takes.
 */
class ForwardingIdempotencyStore implements IdempotencyStore {

    private final IdempotencyStore delegate;

    ForwardingIdempotencyStore(IdempotencyStore delegate) {
        this.delegate = delegate;
    }

    @Override
    public Optional<IdempotencyRecord> claim(
            IdempotencyKey key, byte[] fingerprint, String owner, Duration lease, Duration retention) {
        return delegate.claim(key, fingerprint, owner, lease, retention);
    }

    @Override
    public boolean complete(IdempotencyKey key, String owner, byte[] response, Duration retention) {
        return delegate.complete(key, owner, response, retention);
    }

    @Override
    public boolean release(IdempotencyKey key, String owner) {
        return delegate.release(key, owner);
    }

    @Override
    public boolean takeOver(IdempotencyKey key, String expectedOwner, String newOwner, Duration lease) {
        return delegate.takeOver(key, expectedOwner, newOwner, lease);
    }
}
