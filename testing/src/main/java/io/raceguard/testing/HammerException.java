package io.raceguard.testing;

import io.raceguard.RaceguardException;

/**
 * A hammer could not carry out a run: the reset hook threw, an invariant could not read the state it
 * checks, or the workers could not be started. This is a fault in the test's setup, not a finding
 * about the code under test; findings are reported as a {@link HammerFailure}.
 */
public final class HammerException extends RaceguardException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message what the hammer was doing
     * @param cause the underlying failure, or {@code null}
     */
    public HammerException(String message, Throwable cause) {
        super(message, cause);
    }
}
