package io.raceguard.jdbc;

import static io.raceguard.internal.SetOnce.requireUnset;

import io.raceguard.internal.Inputs;
import java.time.Duration;

/**
 * The option the JDBC lock builders add to {@link io.raceguard.lock.LockManagerBuilder}'s: the JDBC
 * query timeout of every statement, validated when it is set, and set once. Not thread-safe, like
 * the builders that hold it.
 */
final class LockManagerSettings {

    private static final Duration MIN_STATEMENT_TIMEOUT = Duration.ofSeconds(1);
    private static final int DEFAULT_STATEMENT_TIMEOUT_SECONDS = 5;

    private Integer statementTimeoutSeconds;

    /** JDBC query timeouts are whole seconds: rounded up, at least one. */
    void statementTimeout(Duration timeout) {
        Inputs.requirePositive(timeout, "timeout");
        if (timeout.compareTo(MIN_STATEMENT_TIMEOUT) < 0) {
            throw new IllegalArgumentException("timeout must be at least " + MIN_STATEMENT_TIMEOUT + ", was "
                    + timeout);
        }
        requireUnset(statementTimeoutSeconds, "statementTimeout");
        this.statementTimeoutSeconds = Math.toIntExact(timeout.toSeconds() + (timeout.toNanosPart() == 0 ? 0 : 1));
    }

    int statementTimeoutSeconds() {
        return statementTimeoutSeconds == null ? DEFAULT_STATEMENT_TIMEOUT_SECONDS : statementTimeoutSeconds;
    }
}
