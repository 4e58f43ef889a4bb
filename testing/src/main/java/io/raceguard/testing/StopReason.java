package io.raceguard.testing;

/** Why a run stopped. */
enum StopReason {
    /** Every round of the budget ran. */
    ROUND_BUDGET,
    /** The time budget ran out first. */
    TIME_BUDGET,
    /** A round failed and the run was not asked to keep going. */
    FIRST_FAILURE,
    /** A call did not finish within the call timeout, so its thread may still be busy. */
    HUNG
}
