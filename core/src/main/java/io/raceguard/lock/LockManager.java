package io.raceguard.lock;

import static java.util.Objects.requireNonNull;

import io.raceguard.lock.spi.LockBackend;
import java.util.Optional;

/**
 * Distributed locks as leases with fencing tokens.
 *
 * <pre>{@code
 * try (Lease lease = locks.acquire("coupon:SAVE20",
 *         LeaseOptions.ttl(Duration.ofSeconds(5)).waitUpTo(Duration.ofSeconds(2)))) {
 *     lease.checkValid();
 *     resource.write(lease.fencingToken(), ...);   // the resource rejects stale tokens
 * }
 * }</pre>
 *
 * <p><b>Atomicity.</b> An acquisition is one atomic step on the store that both takes the lock and
 * mints the fencing token. Release and extension are owner-checked on the store: a holder can never
 * release or extend a lease that another owner has since taken.
 *
 * <p><b>Failure model.</b> Expiry is decided by the store's clock (Redis {@code PX}, the database's
 * {@code now()}); local waits and deadlines use a monotonic {@link io.raceguard.Ticker}. A lease can
 * still be lost while its holder works (a pause longer than the ttl, a failover that loses the key);
 * {@link Lease#checkValid()} narrows that window and the fencing token closes it at the resource.
 * Each backend's javadoc states what its store adds to this.
 *
 * <p><b>Waiting and renewal.</b> Waiters of one manager for one key wait in line, in arrival order,
 * and only the first in line asks the store; a release through the manager wakes it at once. It
 * retries with exponential backoff and jitter while the key is held elsewhere, woken early when the
 * backend learns of a release. Auto-renewing leases are renewed at about a
 * third of their ttl on one daemon thread per manager, started only when first needed; a renewal the
 * store refuses marks the lease lost at once, and a renewal that fails is retried until the lease's
 * safety deadline. Store calls on that thread should be bounded by the store client's own timeouts:
 * a call that hangs delays the renewals of other leases (their {@link Lease#checkValid()} still stops
 * them at their deadlines).
 *
 * <p>Implementations are thread-safe. {@link #close()} stops the renewal scheduler; leases still
 * held then expire at their ttl.
 */
public interface LockManager extends AutoCloseable {

    /**
     * Builds a lock manager on a store backend. Every backend in Raceguard is built this way, so all
     * share the same waiting, deadline, renewal and notification behaviour.
     *
     * @param backend the store operations
     * @return a builder
     * @throws NullPointerException if {@code backend} is null
     */
    static LockManagerBuilder<?> builder(LockBackend backend) {
        return new LockManagerBuilder.OfBackend(backend);
    }

    /**
     * Makes one attempt to take the lock, without waiting.
     *
     * @param key the lock key
     * @param options ttl and renewal ({@link LeaseOptions#waitTime()} is ignored)
     * @return the lease, or empty if another owner holds the lock
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if the key is invalid
     * @throws IllegalStateException if the manager is closed
     * @throws io.raceguard.BackendException if the store could not be reached; the attempt may have
     *     taken the key, which then expires at its ttl
     */
    Optional<Lease> tryAcquire(String key, LeaseOptions options);

    /**
     * Takes the lock, waiting up to {@link LeaseOptions#waitTime()} with backoff and jitter.
     *
     * @param key the lock key
     * @param options ttl, wait time and renewal
     * @return the lease
     * @throws LockTimeoutException if the lock stayed busy for the whole wait time (after one attempt
     *     when the wait time is zero)
     * @throws InterruptedException if the thread was interrupted on entry or while waiting; a lease
     *     the store granted meanwhile has been released
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if the key is invalid
     * @throws IllegalStateException if the manager is closed, also while waiting
     * @throws io.raceguard.BackendException if the store could not be reached; the attempt may have
     *     taken the key, which then expires at its ttl
     */
    Lease acquire(String key, LeaseOptions options) throws InterruptedException;

    /**
     * Runs {@code work} while holding the lock, then releases it, also when the work throws.
     *
     * @param key the lock key
     * @param options ttl, wait time and renewal
     * @param work what to do while holding the lease
     * @param <T> the result type
     * @param <X> the work's checked exception
     * @return the work's result
     * @throws X the work's own failure
     * @throws InterruptedException if the waiting thread was interrupted
     * @throws LockTimeoutException if the lock stayed busy for the whole wait time
     */
    default <T, X extends Exception> T withLock(String key, LeaseOptions options, LeaseCallback<T, X> work)
            throws X, InterruptedException {
        requireNonNull(work, "work");
        try (Lease lease = acquire(key, options)) {
            return work.run(lease);
        }
    }

    /**
     * Stops renewals and deadline watches, ends the manager's thread (waiting a few seconds for a
     * renewal in flight), and closes the backend. Leases still held expire at their ttl; they can
     * still be released. Later {@code acquire} and {@code tryAcquire} calls throw {@link
     * IllegalStateException}. Idempotent.
     */
    @Override
    void close();
}
