package io.raceguard.lock;

/**
 * Work done while holding a lease; see {@link LockManager#withLock}. The callback's own checked
 * exception passes straight through.
 *
 * @param <T> the result type
 * @param <X> the checked exception the work may throw
 */
@FunctionalInterface
public interface LeaseCallback<T, X extends Exception> {
    /**
     * @param lease the held lease; call {@link Lease#checkValid()} before side effects
     * @return the result
     * @throws X the work's own failure
     */
    T run(Lease lease) throws X;
}
