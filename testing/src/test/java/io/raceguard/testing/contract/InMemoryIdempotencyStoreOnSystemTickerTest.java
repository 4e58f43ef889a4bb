package io.raceguard.testing.contract;

import io.raceguard.idempotency.InMemoryIdempotencyStore;
import io.raceguard.idempotency.spi.IdempotencyStore;
import io.raceguard.testing.contract.IdempotencyStoreContract;

/**
 * The in-memory store on the real clock, with the contract's default sleeping {@code passTime}: the
 * contract's timing margins hold for a store that cannot move its clock, as a database or Redis.
 */
final class InMemoryIdempotencyStoreOnSystemTickerTest extends IdempotencyStoreContract {

    private static final IdempotencyStore STORE = InMemoryIdempotencyStore.create();

    @Override
    protected IdempotencyStore store() {
        return STORE;
    }
}
