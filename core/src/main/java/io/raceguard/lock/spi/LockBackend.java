package io.raceguard.lock.spi;

import java.time.Duration;
import java.util.OptionalLong;

/**
 * The store side of a lease lock: three atomic operations on one key. {@link
 * io.raceguard.lock.LockManager#builder(LockBackend)} turns a backend into a full {@link
 * io.raceguard.lock.LockManager} (validation, waiting with backoff, safety deadlines, renewal, lost
 * notifications), so a backend only talks to its store.
 *
 * <p>Arguments arrive already validated. Implementations must be thread-safe, must decide expiry on
 * the store's clock, and must throw {@link io.raceguard.BackendException} for store faults.
 */
public interface LockBackend extends AutoCloseable {

    /**
     * In one atomic step: if the key is free or its holder's ttl has passed, records {@code owner}
     * with {@code ttl} and mints a fencing token strictly greater than any token minted for this key before.
     *
     * @param key the lock key
     * @param owner the new owner's token
     * @param ttl how long the store keeps the lease
     * @return the fencing token if acquired, empty if another owner holds the key
     */
    OptionalLong tryAcquire(String key, String owner, Duration ttl);

    /**
     * Resets the ttl if {@code owner} still holds the key (compare and extend, atomically).
     *
     * @return whether the lease was extended
     */
    boolean extend(String key, String owner, Duration ttl);

    /**
     * Frees the key if {@code owner} still holds it (compare and delete, atomically).
     *
     * @return whether this call freed it; false if it had expired or another owner holds it
     */
    boolean release(String key, String owner);

    /**
     * Waits until the key may have been released, at most {@code maxWait}. Backends that can be
     * told of releases (pub/sub, a condition) return early; the default simply sleeps.
     *
     * @param key the lock key
     * @param maxWait the longest wait
     * @throws InterruptedException if interrupted while waiting
     */
    default void awaitRelease(String key, Duration maxWait) throws InterruptedException {
        Thread.sleep(maxWait.toMillis(), maxWait.toNanosPart() % 1_000_000);
    }

    /** Releases the backend's own resources, if any. The caller's client is not closed. */
    @Override
    default void close() {}
}
