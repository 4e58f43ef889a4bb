package io.raceguard.jdbc;

import io.raceguard.idempotency.IdempotencyKey;
import io.raceguard.idempotency.spi.IdempotencyRecord;
import io.raceguard.idempotency.spi.IdempotencyStore;
import java.time.Duration;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/**
 * The store of {@link JdbcIdempotencyStore#inTransactionOf}: every transition on the caller's handle,
 * inside the caller's transaction, never retried there. Not thread-safe, like the handle.
 */
final class InTransactionIdempotencyStore implements IdempotencyStore {

    private final IdempotencyOperations operations;
    private final Handle handle;

    InTransactionIdempotencyStore(JdbcIdempotencyStore store, Handle handle) {
        this.operations = store.operations();
        this.handle = handle;
    }

    @Override
    public Optional<IdempotencyRecord> claim(
            IdempotencyKey key, byte[] fingerprint, String owner, Duration lease, Duration retention) {
        IdempotencyOperations.checkClaim(key, fingerprint, owner, lease, retention);
        return StoreStatements.runJoined("idempotency claim", open(),
                joined -> operations.claim(joined, key, fingerprint, owner, lease, retention));
    }

    @Override
    public boolean complete(IdempotencyKey key, String owner, byte[] response, Duration retention) {
        IdempotencyOperations.checkComplete(key, owner, response, retention);
        return StoreStatements.runJoined("idempotency completion", open(),
                joined -> operations.complete(joined, key, owner, response, retention));
    }

    @Override
    public boolean release(IdempotencyKey key, String owner) {
        IdempotencyOperations.checkRelease(key, owner);
        return StoreStatements.runJoined("idempotency release", open(),
                joined -> operations.release(joined, key, owner));
    }

    @Override
    public boolean takeOver(IdempotencyKey key, String expectedOwner, String newOwner, Duration lease) {
        IdempotencyOperations.checkTakeOver(key, expectedOwner, newOwner, lease);
        return StoreStatements.runJoined("idempotency takeover", open(),
                joined -> operations.takeOver(joined, key, expectedOwner, newOwner, lease));
    }

    private Handle open() {
        return JdbcIdempotencyStore.requireOpenTransaction(handle);
    }

    @Override
    public String toString() {
        return "JdbcIdempotencyStore in a caller's transaction";
    }
}
