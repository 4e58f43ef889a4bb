package io.raceguard.jdbc;

import io.raceguard.internal.Inputs;
import io.raceguard.lock.LockManager;
import io.raceguard.lock.LockManagerBuilder;
import io.raceguard.lock.spi.LockBackend;
import java.time.Duration;

/**
 * The options the JDBC lock builders share: the engine's backoff and the JDBC query timeout of every
 * statement. Each is validated when it is set. Not thread-safe, like the builders that hold it.
 */
final class LockManagerSettings {

    private static final Duration MIN_STATEMENT_TIMEOUT = Duration.ofSeconds(1);

    private Duration minBackoff;
    private Duration maxBackoff;
    private int statementTimeoutSeconds = 5;

    /** @see LockManagerBuilder#backoff */
    void backoff(Duration min, Duration max) {
        Inputs.requirePositive(min, "min");
        Inputs.requirePositive(max, "max");
        if (max.compareTo(min) < 0) {
            throw new IllegalArgumentException("max must be >= min (" + min + "), was " + max);
        }
        this.minBackoff = min;
        this.maxBackoff = max;
    }

    /** JDBC query timeouts are whole seconds: rounded up, at least one. */
    void statementTimeout(Duration timeout) {
        Inputs.requirePositive(timeout, "timeout");
        if (timeout.compareTo(MIN_STATEMENT_TIMEOUT) < 0) {
            throw new IllegalArgumentException("timeout must be at least " + MIN_STATEMENT_TIMEOUT + ", was " + timeout);
        }
        this.statementTimeoutSeconds = Math.toIntExact(timeout.toSeconds() + (timeout.toNanosPart() == 0 ? 0 : 1));
    }

    int statementTimeoutSeconds() {
        return statementTimeoutSeconds;
    }

    LockManager build(LockBackend backend) {
        LockManagerBuilder manager = LockManager.builder(backend);
        if (minBackoff != null) {
            manager.backoff(minBackoff, maxBackoff);
        }
        return manager.build();
    }
}
