package io.raceguard;

/**
 * A store (database, Redis) failed or could not be reached while carrying out an operation. The
 * cause is always attached. Whether the operation took effect is unknown unless the throwing method
 * says otherwise: retry only operations that are safe to repeat (an owner-checked release, a claim
 * with the same owner token).
 */
public class BackendException extends RaceguardException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message what was being done, without the caller's key, token or payload
     * @param cause the underlying failure
     */
    public BackendException(String message, Throwable cause) {
        super(message, cause);
    }
}
