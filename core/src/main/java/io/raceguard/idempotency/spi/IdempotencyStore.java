package io.raceguard.idempotency.spi;

import io.raceguard.idempotency.Idempotency;
import io.raceguard.idempotency.IdempotencyKey;
import java.time.Duration;
import java.util.Optional;

/**
 * Where idempotency records live: four atomic transitions on one scoped key. {@link Idempotency}
 * drives them; a store only talks to its backend.
 *
 * <p>A record is {@link IdempotencyRecord.Status#IN_PROGRESS} while its owner runs the work, under a
 * lease that may be taken over once it expires (the owner died), and {@link
 * IdempotencyRecord.Status#COMPLETED} once the response is recorded. Both states are kept until the
 * retention passes, then the record may disappear. Expiry is decided on the store's clock.
 *
 * <p>Every method is one atomic step. {@code complete} and {@code release} are fenced by the owner
 * token: a caller whose claim was taken over can neither overwrite nor delete the new owner's record.
 * Arguments arrive already validated; implementations must be thread-safe and throw {@link
 * io.raceguard.BackendException} for store faults. Stores never interpret the fingerprint or the response.
 *
 * <p><b>Exact semantics</b>, which {@code io.raceguard.testing.contract.IdempotencyStoreContract} checks:
 *
 * <ul>
 *   <li><b>Keys.</b> Two keys are the same record only if their scopes are equal and their keys are
 *       equal, as exact strings: case, trailing spaces, Unicode normalization and separators all count
 *       ({@code ("a:b", "c")} and {@code ("a", "b:c")} are two records). Every key that {@link
 *       io.raceguard.internal.Inputs#requireKey} accepts must be stored, the longest included.
 *   <li><b>Bytes.</b> Fingerprints and responses come back exactly as given, byte for byte; an empty
 *       response stays empty (never null); responses of at least 1 MiB are kept.
 *   <li><b>Time.</b> A lease is live while less time than the lease has passed since the claim or
 *       takeover, and expired from then on; a record past its retention behaves as absent to every
 *       method (a claim succeeds, the other methods return false and create nothing). Time is
 *       measured to the millisecond or finer.
 *   <li><b>Lease expiry alone changes nothing.</b> Until someone takes it over, an in-progress record
 *       whose lease expired is still its owner's: {@code complete} and {@code release} succeed.
 *   <li><b>Refused transitions have no effect.</b> Whenever a method returns false (or a claim returns
 *       the existing record), the record is exactly as it was.
 * </ul>
 */
public interface IdempotencyStore {

    /**
     * If no record exists for {@code key} (or the existing one is past its retention), creates an
     * in-progress record owned by {@code owner}, kept for {@code retention} from now. Otherwise leaves
     * the existing record unchanged and returns it, even when it was claimed by the same owner.
     *
     * @param key the scoped key
     * @param fingerprint the SHA-256 of the request
     * @param owner the claimer's random token
     * @param lease how long the claim is protected from takeover, not longer than {@code retention}
     * @param retention how long the record is kept
     * @return empty if this call claimed the key; otherwise the record that already exists, with its
     *     lease remaining ({@code 0 < leaseRemaining <= lease it was given} while live, zero once
     *     expired, zero for a completed record)
     */
    Optional<IdempotencyRecord> claim(
            IdempotencyKey key, byte[] fingerprint, String owner, Duration lease, Duration retention);

    /**
     * If the record is in progress and owned by {@code owner}, records the response and marks it
     * completed, to be kept for {@code retention} from now. The owner and fingerprint stay. An expired
     * lease does not prevent completion as long as nobody took the record over.
     *
     * @param key the scoped key
     * @param owner the token the record must be owned by
     * @param response the bytes to record
     * @param retention how long the completed record is kept, from now
     * @return whether the record was completed; false if the claim was taken over, is already
     *     completed, or is gone (released or past its retention)
     */
    boolean complete(IdempotencyKey key, String owner, byte[] response, Duration retention);

    /**
     * If the record is in progress and owned by {@code owner}, deletes it so that a retry may run. A
     * completed record is never deleted.
     *
     * @param key the scoped key
     * @param owner the token the record must be owned by
     * @return whether the record was deleted
     */
    boolean release(IdempotencyKey key, String owner);

    /**
     * If the record is in progress, owned by {@code expectedOwner}, and its lease has expired, gives
     * it to {@code newOwner} with a fresh lease (compare and set on the old owner). The fingerprint
     * stays, and the record is kept at least until the fresh lease ends, even if that is past its
     * retention, so that nobody can claim the key from under its new owner.
     *
     * @param key the scoped key
     * @param expectedOwner the owner whose expired lease is taken over
     * @param newOwner the caller's random token
     * @param lease the fresh lease
     * @return whether {@code newOwner} now owns the record
     */
    boolean takeOver(IdempotencyKey key, String expectedOwner, String newOwner, Duration lease);
}
