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
 * <p><b>Failure model.</b> The safety deadline is local knowledge: {@link #checkValid()} trusts it
 * without asking the store, so it costs no I/O and keeps working when the store is unreachable. It
 * cannot see a store that lost the key early (a failover, an eviction); the fencing token covers
 * that case. A lease is <em>lost</em> once the store refuses to extend it or its deadline passes
 * while renewals or {@code onLost} callbacks watch it; being lost is final.
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

    /** @return the time left before the local safety deadline; zero exactly when {@link #isValid()} is false */
    Duration remaining();

    /**
     * Extends the lease to {@code ttl} from now, if this owner still holds it (owner-checked on the
     * store). A refusal marks the lease lost and fires the {@link #onLost} callbacks. The new safety
     * deadline is measured from just before the request, like the first one. The store is asked even
     * past the safety deadline, as long as the lease was not marked lost: if it still holds the key
     * for this owner, nobody else can have taken it, and the lease is valid again. Extensions of one
     * lease, including its own renewals, never overlap.
     *
     * @param ttl the new time to live, positive
     * @return whether the lease was extended; false without asking the store once the lease is
     *     released or lost
     * @throws NullPointerException if {@code ttl} is null
     * @throws IllegalArgumentException if {@code ttl} is not positive
     * @throws io.raceguard.BackendException if the store could not be reached; the lease stays as it was
     */
    boolean extend(Duration ttl);

    /**
     * Registers a callback that runs once when the lease is lost: a renewal or extension was
     * refused, renewals failed until the safety deadline passed, or the deadline passed while
     * callbacks were registered. It runs at once, on the calling thread, if the lease is already lost
     * or past its deadline, and never after a normal {@link #release()}. Otherwise it runs on the
     * thread that notices the loss: the lock manager's scheduler thread for renewals and deadlines,
     * the caller's thread for a refused {@link #extend}. Callbacks must not block; one that throws is
     * logged and does not stop the others. After the manager is closed, deadlines are no longer watched.
     *
     * @param callback what to do
     * @throws NullPointerException if {@code callback} is null
     */
    void onLost(Runnable callback);

    /**
     * Releases the lease if this owner still holds it (owner-checked on the store), stops its
     * renewals and drops its {@code onLost} callbacks. Idempotent: only the first call, from any
     * thread, reaches the store. A store fault is logged at WARN, not thrown: the work the lock
     * protected is done and the key expires at its ttl anyway, while an exception would make callers
     * retry completed work.
     */
    void release();

    /** Same as {@link #release()}, for try-with-resources. */
    @Override
    void close();
}
