package io.raceguard.idempotency.spi;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * A stored idempotency record, as an {@link IdempotencyStore} returns it from a claim that found the
 * key taken. For speed the arrays are not copied: treat them as read-only.
 *
 * @param status in progress or completed
 * @param owner the token of the caller that claimed (or took over) the record
 * @param fingerprint the SHA-256 of the request that claimed the key
 * @param response the recorded response of a completed record, {@code null} while in progress
 * @param leaseRemaining for an in-progress record, how long until its lease may be taken over
 *     (zero once it has expired); zero for a completed record
 */
public record IdempotencyRecord(
        Status status, String owner, byte[] fingerprint, byte[] response, Duration leaseRemaining) {

    /** The two states of a record. */
    public enum Status {
        /** The owner is running the work. */
        IN_PROGRESS,
        /** The response is recorded. */
        COMPLETED
    }

    /**
     * @throws NullPointerException if a required component is null
     * @throws IllegalArgumentException if a completed record has no response
     */
    public IdempotencyRecord {
        requireNonNull(status, "status");
        requireNonNull(owner, "owner");
        requireNonNull(fingerprint, "fingerprint");
        requireNonNull(leaseRemaining, "leaseRemaining");
        if (status == Status.COMPLETED && response == null) {
            throw new IllegalArgumentException("a completed record needs a response");
        }
    }
}
