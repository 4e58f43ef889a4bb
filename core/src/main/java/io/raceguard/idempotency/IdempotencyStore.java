package io.raceguard.idempotency;

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
 */
public interface IdempotencyStore {

    /**
     * If no record exists for {@code key} (or the existing one is past its retention), creates an
     * in-progress record owned by {@code owner}.
     *
     * @param key the scoped key
     * @param fingerprint the SHA-256 of the request
     * @param owner the claimer's random token
     * @param lease how long the claim is protected from takeover
     * @param retention how long the record is kept
     * @return empty if this call claimed the key; otherwise the record that already exists
     */
    Optional<IdempotencyRecord> claim(
            IdempotencyKey key, byte[] fingerprint, String owner, Duration lease, Duration retention);

    /**
     * If the record is in progress and owned by {@code owner}, records the response and marks it
     * completed, to be kept for {@code retention} from now.
     *
     * @return whether the record was completed; false if the claim was taken over or is gone
     */
    boolean complete(IdempotencyKey key, String owner, byte[] response, Duration retention);

    /**
     * If the record is in progress and owned by {@code owner}, deletes it so that a retry may run.
     *
     * @return whether the record was deleted
     */
    boolean release(IdempotencyKey key, String owner);

    /**
     * If the record is in progress, owned by {@code expectedOwner}, and its lease has expired, gives
     * it to {@code newOwner} with a fresh lease (compare and set on the old owner).
     *
     * @return whether {@code newOwner} now owns the record
     */
    boolean takeOver(IdempotencyKey key, String expectedOwner, String newOwner, Duration lease);
}
