package io.raceguard.lock;

import io.raceguard.Ticker;
import io.raceguard.lock.spi.LockBackend;
import java.time.Duration;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiFunction;

/**
 * The store of {@link InMemoryLocks}: one immutable holder (owner, fencing token, expiry) per key in
 * a {@link ConcurrentHashMap}, expiry read from a {@link Ticker}.
 *
 * <ul>
 *   <li>Acquisition is one {@code compute} on the key, so taking the key and minting its fencing
 *       token are one atomic step.
 *   <li>Fencing tokens come from a single counter for the whole backend: strictly increasing per
 *       key, even after the key's entry is removed, in constant memory.
 *   <li>Extension and release are compare-and-set on the holder the owner saw, so a holder that
 *       changed meanwhile (expired and taken by another owner) is never touched.
 *   <li>Expired holders are removed when touched, and by an occasional sweep after as many
 *       acquisitions as the last sweep left entries, which keeps the map bounded at amortized
 *       constant cost.
 * </ul>
 *
 * <p>Thread-safe.
 */
final class InMemoryLockBackend implements LockBackend {

    private static final int MIN_ACQUISITIONS_BETWEEN_SWEEPS = 1024;

    private record Holder(String owner, long fencingToken, long expiresAt) {
        boolean expiredAt(long now) {
            return now - expiresAt >= 0;
        }
    }

    private final ConcurrentHashMap<String, Holder> holders = new ConcurrentHashMap<>();
    private final AtomicLong fencingTokens = new AtomicLong();
    private final AtomicInteger acquisitionsSinceSweep = new AtomicInteger();
    private volatile int sweepThreshold = MIN_ACQUISITIONS_BETWEEN_SWEEPS;
    private final ReleaseSignals releases = new ReleaseSignals();
    private final Ticker ticker;

    InMemoryLockBackend(Ticker ticker) {
        this.ticker = ticker;
    }

    @Override
    public OptionalLong tryAcquire(String key, String owner, Duration ttl) {
        Acquisition acquisition = new Acquisition(owner, ttl.toNanos());
        holders.compute(key, acquisition);
        if (acquisition.granted == null) {
            return OptionalLong.empty();
        }
        sweepOccasionally();
        return OptionalLong.of(acquisition.granted.fencingToken);
    }

    /** The atomic step of an acquisition; remembers the holder it created, if any. */
    private final class Acquisition implements BiFunction<String, Holder, Holder> {
        private final String owner;
        private final long ttlNanos;
        Holder granted;

        Acquisition(String owner, long ttlNanos) {
            this.owner = owner;
            this.ttlNanos = ttlNanos;
        }

        @Override
        public Holder apply(String key, Holder current) {
            long now = ticker.read();
            if (current != null && !current.expiredAt(now)) {
                return current;
            }
            granted = new Holder(owner, fencingTokens.incrementAndGet(), now + ttlNanos);
            return granted;
        }
    }

    @Override
    public boolean extend(String key, String owner, Duration ttl) {
        while (true) {
            Holder current = holders.get(key);
            if (current == null) {
                return false;
            }
            long now = ticker.read();
            if (current.expiredAt(now)) {
                removeExpired(key, current);
                return false;
            }
            if (!current.owner.equals(owner)) {
                return false;
            }
            Holder extended = new Holder(owner, current.fencingToken, now + ttl.toNanos());
            if (holders.replace(key, current, extended)) {
                return true;
            }
        }
    }

    @Override
    public boolean release(String key, String owner) {
        while (true) {
            Holder current = holders.get(key);
            if (current == null) {
                return false;
            }
            if (current.expiredAt(ticker.read())) {
                removeExpired(key, current);
                return false;
            }
            if (!current.owner.equals(owner)) {
                return false;
            }
            if (holders.remove(key, current)) {
                releases.signal(key);
                return true;
            }
        }
    }

    private void removeExpired(String key, Holder expired) {
        if (holders.remove(key, expired)) {
            releases.signal(key);
        }
    }

    /** Returns at once if the key is free; otherwise waits for its release, at most {@code maxWait}. */
    @Override
    public void awaitRelease(String key, Duration maxWait) throws InterruptedException {
        releases.await(key, maxWait, () -> {
            Holder current = holders.get(key);
            return current != null && !current.expiredAt(ticker.read());
        });
    }

    /**
     * Sweeps once the acquisitions since the last sweep reach the number of entries that sweep left:
     * a sweep visits at most twice as many entries as acquisitions paid for it.
     */
    private void sweepOccasionally() {
        int acquisitions = acquisitionsSinceSweep.incrementAndGet();
        if (acquisitions < sweepThreshold || !acquisitionsSinceSweep.compareAndSet(acquisitions, 0)) {
            return;
        }
        long now = ticker.read();
        // removal through the view is conditional on the value seen, so a holder replaced meanwhile stays
        holders.values().removeIf(holder -> holder.expiredAt(now));
        sweepThreshold = Math.max(MIN_ACQUISITIONS_BETWEEN_SWEEPS, holders.size());
    }

    /** @return how many keys have an entry, expired ones not yet removed included; for tests */
    int storedKeys() {
        return holders.size();
    }

    /** @return how many keys have waiting threads; for tests */
    int waitedKeys() {
        return releases.waitedKeys();
    }
}
