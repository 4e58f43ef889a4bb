/**
 * What every Raceguard primitive shares: expected outcomes as values, and one family of exceptions
 * for faults.
 *
 * <ul>
 *   <li>{@link io.raceguard.Outcome}: the result of a guarded mutation, {@code Applied} with its value
 *       or {@code Rejected} with a {@link io.raceguard.Rejection} (condition failed, not found,
 *       duplicate, stale fence). A rejection is a business answer, never an exception.
 *   <li>{@link io.raceguard.RaceguardException}: the unchecked root of every fault; {@link
 *       io.raceguard.BackendException} when a store failed or could not be reached, {@link
 *       io.raceguard.OutcomeRejectedException} when a caller asked for a value that was rejected.
 *   <li>{@link io.raceguard.Ticker}: the injectable monotonic clock behind every in-process deadline.
 * </ul>
 *
 * <p>The primitives live in the sub-packages: {@code counter} (bounded counters), {@code lock} (leases
 * with fencing tokens), {@code idempotency} (idempotency keys) and {@code limit} (rate limits). Each
 * is an interface with an in-memory backend here; the {@code raceguard-jdbc} and {@code
 * raceguard-redis} modules give the same contracts on shared storage. {@code io.raceguard.internal}
 * holds rules the modules share and is not API.
 */
package io.raceguard;
