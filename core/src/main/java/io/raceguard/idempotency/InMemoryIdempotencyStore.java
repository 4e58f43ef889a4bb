package io.raceguard.idempotency;

import static java.util.Objects.requireNonNull;

import io.raceguard.Ticker;
import io.raceguard.idempotency.spi.IdempotencyRecord.Status;
import io.raceguard.idempotency.spi.IdempotencyRecord;
import io.raceguard.idempotency.spi.IdempotencyStore;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An {@link IdempotencyStore} in this JVM's memory: the embedded default, and the reference semantics
 * every other store is held to by {@code IdempotencyStoreContract}. Records do not survive a restart
 * and are not shared between processes.
 *
 * <p><b>Atomicity.</b> Each transition is one {@link ConcurrentHashMap#compute} on the key, which reads
 * the ticker, decides and writes while holding that key's bin, so concurrent calls on one key are
 * linearizable and calls on different keys do not contend.
 *
 * <p><b>Expiry.</b> Leases and retentions run on the {@link Ticker}. A record past its retention is
 * absent to every method, and is dropped by the next transition that meets it. So that keys nobody
 * asks for again do not pile up, claims also sweep out every expired record from time to time: once
 * as many claims have been made as there were records after the previous sweep, so memory stays
 * within a small multiple of the live records and each claim pays a constant share of the sweeping.
 *
 * <p>Thread-safe. Never throws {@link io.raceguard.BackendException}.
 */
public final class InMemoryIdempotencyStore implements IdempotencyStore {

    private static final int MIN_CLAIMS_BETWEEN_SWEEPS = 1024;

    private final ConcurrentHashMap<IdempotencyKey, StoredRecord> records = new ConcurrentHashMap<>();
    private final AtomicInteger claimsUntilSweep = new AtomicInteger(MIN_CLAIMS_BETWEEN_SWEEPS);
    private final Ticker ticker;

    private InMemoryIdempotencyStore(Ticker ticker) {
        this.ticker = ticker;
    }

    /** @return an empty store on the system ticker */
    public static IdempotencyStore create() {
        return create(Ticker.system());
    }

    /**
     * @param ticker the time base of leases and retentions
     * @return an empty store on {@code ticker}
     * @throws NullPointerException if {@code ticker} is null
     */
    public static IdempotencyStore create(Ticker ticker) {
        return new InMemoryIdempotencyStore(requireNonNull(ticker, "ticker"));
    }

    @Override
    public Optional<IdempotencyRecord> claim(
            IdempotencyKey key, byte[] fingerprint, String owner, Duration lease, Duration retention) {
        byte[] storedFingerprint = fingerprint.clone();
        IdempotencyRecord[] existing = new IdempotencyRecord[1];
        records.compute(key, (k, current) -> {
            long now = ticker.read();
            if (current == null || current.isExpired(now)) {
                return StoredRecord.inProgress(owner, storedFingerprint, now, lease, retention);
            }
            existing[0] = current.toRecord(now);
            return current;
        });
        sweepIfDue();
        return Optional.ofNullable(existing[0]);
    }

    @Override
    public boolean complete(IdempotencyKey key, String owner, byte[] response, Duration retention) {
        byte[] storedResponse = response.clone();
        boolean[] completed = new boolean[1];
        records.computeIfPresent(key, (k, current) -> {
            long now = ticker.read();
            if (current.isExpired(now)) {
                return null;
            }
            if (!current.isInProgressFor(owner)) {
                return current;
            }
            completed[0] = true;
            return current.completed(storedResponse, now, retention);
        });
        return completed[0];
    }

    @Override
    public boolean release(IdempotencyKey key, String owner) {
        boolean[] released = new boolean[1];
        records.computeIfPresent(key, (k, current) -> {
            if (current.isExpired(ticker.read())) {
                return null;
            }
            if (!current.isInProgressFor(owner)) {
                return current;
            }
            released[0] = true;
            return null;
        });
        return released[0];
    }

    @Override
    public boolean takeOver(IdempotencyKey key, String expectedOwner, String newOwner, Duration lease) {
        boolean[] tookOver = new boolean[1];
        records.computeIfPresent(key, (k, current) -> {
            long now = ticker.read();
            if (current.isExpired(now)) {
                return null;
            }
            if (!current.isInProgressFor(expectedOwner) || current.isLeaseLive(now)) {
                return current;
            }
            tookOver[0] = true;
            return current.takenOverBy(newOwner, now, lease);
        });
        return tookOver[0];
    }

    /** @return how many records are held, expired ones not yet dropped included */
    int storedRecords() {
        return records.size();
    }

    private void sweepIfDue() {
        // Exactly one caller sees zero; the others keep counting below it until the sweep resets.
        if (claimsUntilSweep.decrementAndGet() != 0) {
            return;
        }
        long now = ticker.read();
        // removeIf on a ConcurrentHashMap view removes an entry only if it still holds the tested value.
        records.values().removeIf(stored -> stored.isExpired(now));
        claimsUntilSweep.set(Math.max(MIN_CLAIMS_BETWEEN_SWEEPS, records.size()));
    }

    /**
     * One immutable record. Deadlines are ticker readings, compared by subtraction so that they
     * stay right when the ticker wraps.
     */
    private record StoredRecord(
            Status status, String owner, byte[] fingerprint, byte[] response, long leaseEnds, long retainedUntil) {

        static StoredRecord inProgress(String owner, byte[] fingerprint, long now, Duration lease, Duration retention) {
            return new StoredRecord(
                    Status.IN_PROGRESS, owner, fingerprint, null, now + lease.toNanos(), now + retention.toNanos());
        }

        boolean isExpired(long now) {
            return now - retainedUntil >= 0;
        }

        boolean isLeaseLive(long now) {
            return leaseEnds - now > 0;
        }

        boolean isInProgressFor(String claimer) {
            return status == Status.IN_PROGRESS && owner.equals(claimer);
        }

        StoredRecord completed(byte[] recordedResponse, long now, Duration retention) {
            return new StoredRecord(
                    Status.COMPLETED, owner, fingerprint, recordedResponse, leaseEnds, now + retention.toNanos());
        }

        /** The record is kept at least until the new lease ends, so no one can claim it from under its owner. */
        StoredRecord takenOverBy(String newOwner, long now, Duration lease) {
            long newLeaseEnds = now + lease.toNanos();
            long keptUntil = newLeaseEnds - retainedUntil > 0 ? newLeaseEnds : retainedUntil;
            return new StoredRecord(Status.IN_PROGRESS, newOwner, fingerprint, null, newLeaseEnds, keptUntil);
        }

        IdempotencyRecord toRecord(long now) {
            Duration leaseRemaining = status == Status.IN_PROGRESS && isLeaseLive(now)
                    ? Duration.ofNanos(leaseEnds - now)
                    : Duration.ZERO;
            return new IdempotencyRecord(status, owner, fingerprint, response, leaseRemaining);
        }
    }
}
