package io.raceguard.jdbc;

import java.time.Duration;
import org.jdbi.v3.core.Handle;

/**
 * A transaction-local {@code lock_timeout} on PostgreSQL, set through {@code set_config(..., true)}
 * (the bindable form of {@code SET LOCAL}) and put back to the value it replaced.
 */
final class PostgresLockTimeout {

    private final String previous;

    private PostgresLockTimeout(String previous) {
        this.previous = previous;
    }

    static PostgresLockTimeout set(Handle handle, Duration timeout) {
        String previous = handle.createQuery("SELECT current_setting('lock_timeout')").mapTo(String.class).one();
        apply(handle, timeout.toMillis() + "ms");
        return new PostgresLockTimeout(previous);
    }

    void restore(Handle handle) {
        apply(handle, previous);
    }

    private static void apply(Handle handle, String value) {
        handle.createQuery("SELECT set_config('lock_timeout', :value, true)").bind("value", value)
                .mapTo(String.class).one();
    }
}
