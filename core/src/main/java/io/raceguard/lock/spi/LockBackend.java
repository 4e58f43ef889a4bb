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
 * the store's clock, and must throw {@link io.raceguard.BackendException} for store faults, with a
 * message free of keys and owner tokens. Every call should be bounded by a timeout of the store
 * client: renewals of all leases of a manager share one thread. A backend passes {@code
 * io.raceguard.testing.contract.LockManagerContract} when wrapped by the engine.
 */
public interface LockBackend extends AutoCloseable {

    /**
     * In one atomic step: if the key is free or its holder's ttl has passed, records {@code owner}
     * with {@code ttl} and mints a fencing token strictly greater than any token minted for this key
     * before. A key held by the same owner counts as busy.
     *
     * @param key the lock key
     * @param owner the new owner's token
     * @param ttl how long the store keeps the lease
     * @return the fencing token if acquired, empty if another owner holds the key
     */
    OptionalLong tryAcquire(String key, String owner, Duration ttl);

    /**
     * Resets the ttl to {@code ttl} from now if {@code owner} still holds the key and its ttl has not
     * passed on the store's clock (compare and extend, atomically).
     *
     * @param key the lock key
     * @param owner the owner's token
     * @param ttl the new time to live
     * @return whether the lease was extended
     */
    boolean extend(String key, String owner, Duration ttl);

    /**
     * Frees the key if {@code owner} still holds it (compare and delete, atomically). Safe to repeat:
     * the engine calls it again with the same owner after an interrupted or faulted acquisition.
     *
     * @param key the lock key
     * @param owner the owner's token
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
