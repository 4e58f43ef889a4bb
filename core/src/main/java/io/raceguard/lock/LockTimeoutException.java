package io.raceguard.lock;

import io.raceguard.RaceguardException;
import java.time.Duration;

/** {@link LockManager#acquire} waited as long as it was allowed to and the lock stayed busy. */
public class LockTimeoutException extends RaceguardException {
    private static final long serialVersionUID = 1L;

    private final String key;

    /**
     * @param key the lock key
     * @param waited how long the caller waited
     */
    public LockTimeoutException(String key, Duration waited) {
        super("lock still held by another owner after waiting " + waited);
        this.key = key;
    }

    /** @return the lock key */
    public String key() {
        return key;
    }
}
