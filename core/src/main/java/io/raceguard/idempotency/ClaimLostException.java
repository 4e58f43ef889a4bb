package io.raceguard.idempotency;

import io.raceguard.RaceguardException;
import java.time.Duration;

/**
 * The work ran, but its result could not be recorded because this call no longer owned the key: its
 * lease expired while the work was running and another caller took the claim over (or the record
 * passed its retention and was claimed anew). The result is not returned, because the caller that
 * now owns the key may record a different one; the work may run again for that caller.
 *
 * <p>The cure is a lease longer than the work's slowest run. The exception carries the key's scope
 * but never the client's key or any payload.
 */
public class ClaimLostException extends RaceguardException {
    private static final long serialVersionUID = 1L;

    private final String scope;
    private final Duration lease;

    /**
     * @param scope the scope of the key whose claim was lost
     * @param lease the lease the claim was taken with
     */
    public ClaimLostException(String scope, Duration lease) {
        super("the idempotency claim in scope '" + scope + "' was lost while the work ran (its lease of "
                + lease + " expired and another caller took it over, or the record passed its retention);"
                + " the result was not recorded and the work may run again: use a lease longer than the work's slowest"
                + " run");
        this.scope = scope;
        this.lease = lease;
    }

    /** @return the scope of the key whose claim was lost */
    public String scope() {
        return scope;
    }

    /** @return the lease the claim was taken with */
    public Duration lease() {
        return lease;
    }
}
