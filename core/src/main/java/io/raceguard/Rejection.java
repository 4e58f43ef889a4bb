package io.raceguard;

/**
 * Why a guarded operation did not apply. Every rejection is an expected business outcome, not a
 * fault: the store answered, and the answer was "no".
 */
public enum Rejection {
    /** The condition inside the write did not hold (not enough balance, ceiling reached, version moved on). */
    CONDITION_FAILED,
    /** The row or key the operation targets does not exist. */
    NOT_FOUND,
    /** A unique constraint or an existing key refused the insert. */
    DUPLICATE,
    /** The caller presented a fencing token older than one the resource has already seen. */
    STALE_FENCE
}
