package io.raceguard.jdbc;

import io.raceguard.RaceguardException;

/**
 * The connection was lost while a transaction was committing, so whether it committed is unknown: the
 * database may have made it durable just before the connection broke, or may have rolled it back.
 * {@link Transactions} never retries such a transaction, because running it again could apply it
 * twice. Find out by reading the state the transaction would have written (or make the work
 * idempotent, for example with an idempotency key) before deciding to run it again.
 *
 * <p>The cause is the failure the driver reported for the commit (typically an SQLSTATE of class 08,
 * or a fatal error after which the connection is closed).
 */
public final class CommitOutcomeUnknownException extends RaceguardException {
    private static final long serialVersionUID = 1L;

    CommitOutcomeUnknownException(String message, Throwable cause) {
        super(message, cause);
    }
}
