/**
 * Distributed locks as leases with fencing tokens.
 *
 * <ul>
 *   <li>{@link io.raceguard.lock.LockManager}: {@code acquire} (waits, throws {@link
 *       io.raceguard.lock.LockTimeoutException}), {@code tryAcquire} (never waits) and {@code withLock}.
 *   <li>{@link io.raceguard.lock.Lease}: the held lock, a value carrying an owner token, a fencing token
 *       and a local safety deadline; {@code checkValid()} throws {@link
 *       io.raceguard.lock.LeaseLostException} once the lease may have expired or was lost.
 *   <li>{@link io.raceguard.lock.LeaseOptions}: ttl, wait, auto-renewal and the {@code onLost} callback.
 *   <li>{@link io.raceguard.lock.LockManagerBuilder}: turns any {@link io.raceguard.lock.spi.LockBackend}
 *       into a {@code LockManager}, so waiting, deadlines, renewal and loss detection are written once.
 *   <li>{@link io.raceguard.lock.InMemoryLocks}: the one-JVM backend and the reference semantics.
 * </ul>
 *
 * <p>A lease protects a resource only as far as the resource checks the fencing token: a holder that
 * stalls past its ttl can still write, unless the write is fenced ({@code GuardedUpdates} in
 * {@code raceguard-jdbc}, {@code RedisFencedWrites} in {@code raceguard-redis}).
 */
package io.raceguard.lock;
