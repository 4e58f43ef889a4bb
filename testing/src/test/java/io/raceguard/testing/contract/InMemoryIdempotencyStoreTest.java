package io.raceguard.testing.contract;

import io.raceguard.idempotency.InMemoryIdempotencyStore;
import io.raceguard.idempotency.spi.IdempotencyStore;
import io.raceguard.testing.ManualTicker;
import io.raceguard.testing.contract.IdempotencyStoreContract;
import java.time.Duration;

/** The in-memory store on a manual ticker: the contract without sleeping. */
final class InMemoryIdempotencyStoreTest extends IdempotencyStoreContract {

    private final ManualTicker ticker = new ManualTicker();
    private final IdempotencyStore store = InMemoryIdempotencyStore.create(ticker);

    @Override
    protected IdempotencyStore store() {
        return store;
    }

    @Override
    protected void passTime(Duration duration) {
        ticker.advance(duration);
    }
}
