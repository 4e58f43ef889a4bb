package io.raceguard.event;

/** How one call of {@link io.raceguard.idempotency.Idempotency#execute} ended. */
public enum IdempotencyEvent {
    /** This call ran the work and recorded its result. */
    EXECUTED,
    /** An earlier call had completed: its recorded result was returned. */
    REPLAYED,
    /** Another call holds the key and is running the work now; the caller was told to retry later. */
    IN_PROGRESS,
    /** The key was used before with a different request. */
    KEY_REUSED,
    /**
     * This call ran the work, but its lease expired and another call took the claim over before the
     * result was recorded.
     */
    CLAIM_LOST,
    /** This call took over a claim whose owner's lease had expired, and is about to run the work. */
    CLAIM_TAKEN_OVER
}
