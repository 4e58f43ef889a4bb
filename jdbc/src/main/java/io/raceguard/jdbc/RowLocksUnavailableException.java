package io.raceguard.jdbc;

import static java.util.Objects.requireNonNull;

import io.raceguard.RaceguardException;

/**
 * {@link RowLocks#lock} could not lock a row: it was locked by another transaction and the call
 * was told not to wait ({@code NOWAIT}) or waited as long as it was allowed to. The transaction
 * that made the call must be rolled back: on PostgreSQL it is already aborted, and on every vendor
 * the rows locked before this one stay locked until it ends. The message never includes the key.
 */
public final class RowLocksUnavailableException extends RaceguardException {
    private static final long serialVersionUID = 1L;

    private final transient Object key;
    private final transient SqlFailure failure;

    RowLocksUnavailableException(Object key, SqlFailure failure, RuntimeException cause) {
        super(failure instanceof SqlFailure.LockTimeout
                ? "gave up waiting for a row lock held by another transaction"
                : "a row is locked by another transaction and the call was told not to wait", cause);
        this.key = requireNonNull(key, "key");
        this.failure = requireNonNull(failure, "failure");
    }

    /** @return the key of the row that could not be locked */
    public Object key() {
        return key;
    }

    /**
     * @return the classified database failure: {@link SqlFailure.LockNotAvailable} or
     *     {@link SqlFailure.LockTimeout}, as the vendor reported it (PostgreSQL reports both a
     *     {@code NOWAIT} refusal and a {@code lock_timeout} as 55P03; MariaDB both as 1205)
     */
    public SqlFailure failure() {
        return failure;
    }
}
