package io.raceguard.idempotency;

import static org.assertj.core.api.Assertions.assertThat;

import io.raceguard.idempotency.spi.IdempotencyRecord.Status;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * What only the in-memory store can show: its memory stays bounded, and its deadlines survive the
 * ticker wrapping around. Its semantics are checked by {@code InMemoryIdempotencyStoreTest}.
 */
final class InMemoryIdempotencyStoreExpiryTest {

    private static final byte[] FINGERPRINT = new byte[32];
    private static final Duration LEASE = Duration.ofSeconds(1);
    private static final Duration SHORT_RETENTION = Duration.ofSeconds(1);
    private static final Duration LONG_RETENTION = Duration.ofHours(1);

    private final AtomicLong nanos = new AtomicLong();
    private final InMemoryIdempotencyStore store =
            (InMemoryIdempotencyStore) InMemoryIdempotencyStore.create(nanos::get);

    @Test
    void shouldSweepOutExpiredRecordsThatNobodyAsksForAgain() {
        int forgotten = 5_000;
        for (int i = 0; i < forgotten; i++) {
            store.claim(key("forgotten", i), FINGERPRINT, "owner", LEASE, SHORT_RETENTION);
        }
        advance(SHORT_RETENTION);

        int live = 5_000;
        for (int i = 0; i < live; i++) {
            store.claim(key("live", i), FINGERPRINT, "owner", LEASE, LONG_RETENTION);
        }

        assertThat(store.storedRecords())
                .as("as many claims as records held at the last sweep trigger a sweep of every expired record")
                .isEqualTo(live);
    }

    @Test
    void shouldDropAnExpiredRecordThatATransitionMeets() {
        IdempotencyKey key = key("expiring", 0);
        store.claim(key, FINGERPRINT, "owner", LEASE, SHORT_RETENTION);
        advance(SHORT_RETENTION);

        assertThat(store.release(key, "owner")).isFalse();

        assertThat(store.storedRecords()).isZero();
    }

    @Test
    void shouldKeepDeadlinesRightWhenTheTickerWrapsAround() {
        nanos.set(Long.MAX_VALUE - LEASE.toNanos() / 2);
        IdempotencyKey key = key("wrapping", 0);
        store.claim(key, FINGERPRINT, "owner", LEASE, LONG_RETENTION);

        assertThat(store.claim(key, FINGERPRINT, "stranger", LEASE, LONG_RETENTION))
                .hasValueSatisfying(found -> assertThat(found.leaseRemaining()).isEqualTo(LEASE));
        assertThat(store.takeOver(key, "owner", "taker", LEASE)).as("the lease is still live").isFalse();
        advance(LEASE);
        assertThat(store.takeOver(key, "owner", "taker", LEASE)).as("the lease has expired across the wrap").isTrue();
        assertThat(store.claim(key, FINGERPRINT, "stranger", LEASE, LONG_RETENTION))
                .hasValueSatisfying(found -> {
                    assertThat(found.status()).isEqualTo(Status.IN_PROGRESS);
                    assertThat(found.owner()).isEqualTo("taker");
                });
    }

    private void advance(Duration duration) {
        nanos.addAndGet(duration.toNanos());
    }

    private static IdempotencyKey key(String scope, int index) {
        return IdempotencyKey.of(scope, "key-" + index);
    }
}
