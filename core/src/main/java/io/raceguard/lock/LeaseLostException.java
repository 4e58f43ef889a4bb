package io.raceguard.lock;

import io.raceguard.RaceguardException;

/** A lease is no longer held: released, refused on renewal, or past its safety deadline. */
public class LeaseLostException extends RaceguardException {
    private static final long serialVersionUID = 1L;

    private final String key;

    /**
     * @param key the lock key
     * @param message what happened
     */
    public LeaseLostException(String key, String message) {
        super(message);
        this.key = key;
    }

    /** @return the lock key */
    public String key() {
        return key;
    }
}
