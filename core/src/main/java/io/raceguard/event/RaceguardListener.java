package io.raceguard.event;

/**
 * Receives what the primitives did. Every method does nothing by default: implement those you need.
 *
 * <p>Methods are called on the thread that saw the outcome (a caller's thread, or a lock manager's
 * renewal thread for a lease lost in the background), right after it is known, so they must be
 * thread-safe and quick. A method that throws is logged at DEBUG and ignored; the primitive carries on.
 * Durations are in nanoseconds of the primitive's monotonic time base. No argument ever carries a key,
 * an owner token or a payload.
 */
public interface RaceguardListener {

    /** @return the listener that ignores everything: what primitives report to unless given another */
    static RaceguardListener none() {
        return NoListener.INSTANCE;
    }

    /**
     * A lock was taken.
     *
     * @param source the lock manager
     * @param waitNanos how long the caller waited for it, 0 for a lock free at the first attempt
     */
    default void lockAcquired(EventSource source, long waitNanos) {}

    /** @param source the lock manager, whose {@code tryAcquire} found the lock held by another owner */
    default void lockRefused(EventSource source) {}

    /**
     * @param source the lock manager, whose {@code acquire} gave up waiting
     * @param waitNanos how long the caller waited
     */
    default void lockTimedOut(EventSource source, long waitNanos) {}

    /**
     * @param source the lock manager
     * @param holdNanos how long the lease was held, from the store call that granted it to its release
     */
    default void lockReleased(EventSource source, long holdNanos) {}

    /**
     * A lease was lost while held: the store refused a renewal or extension, or the safety deadline
     * passed before a renewal or release. Reported once per lease.
     *
     * @param source the lock manager
     */
    default void lockLost(EventSource source) {}

    /** @param source the lock manager, which extended or renewed a lease */
    default void lockExtended(EventSource source) {}

    /**
     * @param source the fenced writes, which refused a write whose fencing token was not newer than
     *     the recorded one
     */
    default void staleFenceRefused(EventSource source) {}

    /**
     * @param source the idempotency executor
     * @param event how the call ended, or that it took over an expired claim
     */
    default void idempotency(EventSource source, IdempotencyEvent event) {}

    /**
     * @param source the rate limiter
     * @param allowed whether the permits were granted
     */
    default void rateLimit(EventSource source, boolean allowed) {}

    /**
     * @param source the counters
     * @param applied whether a {@code take} or {@code add} was applied, or refused by its condition
     */
    default void counter(EventSource source, boolean applied) {}

    /** @param source the transactions, which began an attempt */
    default void transactionAttempt(EventSource source) {}

    /**
     * @param source the transactions
     * @param cause why the database refused the attempt that is retried
     */
    default void transactionRetried(EventSource source, RetryCause cause) {}

    /** @param source the transactions, which ran out of attempts or time and threw the last failure */
    default void transactionExhausted(EventSource source) {}

    /** @param source the transactions, whose connection failed while committing */
    default void transactionOutcomeUnknown(EventSource source) {}
}
