package io.raceguard.lock;

import java.time.Duration;

/**
 * A held lock: a value, not thread ownership. It carries a random 128-bit owner token, a fencing
 * token and a local safety deadline, so it may be passed between threads, virtual threads and
 * asynchronous code, and released from any of them.
 *
 * <p><b>Fencing.</b> {@link #fencingToken()} is strictly greater than the token of every earlier
 * holder of the same key, minted in the same atomic step as the acquisition. A lease can be lost
 * without its holder noticing (a long GC pause, a network partition); a resource that rejects writes
 * carrying a token older than the newest it has seen is what keeps such a holder from doing harm.
 *
 * <p><b>Safety deadline.</b> The lease is considered valid locally until the server ttl, measured
 * from just before the acquire request was sent, minus a drift margin. {@link #checkValid()} fails
 * from then on, before the server could have expired the key.
 *
 * <p><b>Thread-safety.</b> All methods are thread-safe. {@link #release()} is idempotent and never
 * throws for a lease that has already expired or been lost.
 */
public interface Lease extends AutoCloseable {

    /** @return the lock key */
    String key();

    /** @return the random owner token (128 bits from {@link java.security.SecureRandom}, in hex) */
    String ownerToken();

    /** @return the fencing token: strictly increasing per key across holders */
    long fencingToken();

    /** @return whether the lease is still held: not released, not lost, before its safety deadline */
    boolean isValid();

    /**
     * Call before every side effect the lock protects.
     *
     * @throws LeaseLostException if the lease has been released, lost, or has passed its safety deadline
     */
    void checkValid();

    /** @return the time left before the local safety deadline; zero once the lease is not valid */
    Duration remaining();

    /**
     * Extends the lease to {@code ttl} from now, if this owner still holds it (owner-checked on the
     * store). A refusal marks the lease lost and fires the {@link #onLost} callbacks.
     *
     * @param ttl the new time to live, positive
     * @return whether the lease was extended
     * @throws IllegalArgumentException if {@code ttl} is not positive
     * @throws io.raceguard.BackendException if the store could not be reached; the lease stays as it was
     */
    boolean extend(Duration ttl);

    /**
     * Registers a callback that runs once when the lease is lost: a renewal or extension was
     * refused, renewals failed until the safety deadline passed, or the deadline passed while
     * callbacks were registered. It runs at once if the lease is already lost, and never after a
     * normal {@link #release()}. Callbacks run on the lock manager's scheduler thread and must not block.
     *
     * @param callback what to do
     */
    void onLost(Runnable callback);

    /**
     * Releases the lease if this owner still holds it (owner-checked on the store). Idempotent. A
     * store fault is logged, not thrown: the lease then simply expires at its ttl, and the caller's
     * completed work is not reported as failed.
     */
    void release();

    /** Same as {@link #release()}, for try-with-resources. */
    @Override
    void close();
}
