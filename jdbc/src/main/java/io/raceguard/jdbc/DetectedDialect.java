package io.raceguard.jdbc;

import org.jdbi.v3.core.Handle;

/**
 * The dialect of the one database a store talks to, read from the first connection it uses and
 * remembered. Thread-safe: racing first calls detect the same dialect.
 */
final class DetectedDialect {

    private volatile Dialect dialect;

    /**
     * @throws IllegalArgumentException if the database is not one Raceguard supports
     */
    Dialect of(Handle handle) {
        Dialect known = dialect;
        if (known == null) {
            known = Dialect.of(handle.getConnection());
            dialect = known;
        }
        return known;
    }
}
