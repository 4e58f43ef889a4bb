package io.raceguard;

/**
 * The root of every exception Raceguard throws. Unchecked: these are faults (a store that cannot be
 * reached, a lease that was lost, a misuse), never expected business refusals, which come back as
 * {@link Outcome} values instead.
 */
public abstract class RaceguardException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message what happened
     * @param cause the underlying failure, or {@code null}
     */
    protected RaceguardException(String message, Throwable cause) {
        super(message, cause);
    }

    /** @param message what happened */
    protected RaceguardException(String message) {
        super(message);
    }
}
