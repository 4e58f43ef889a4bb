package io.raceguard.event;

/** Why the database refused a transaction attempt that was then retried. */
public enum RetryCause {
    /** A serialization conflict (SQLSTATE 40001). */
    SERIALIZATION,
    /** A deadlock (SQLSTATE 40P01 on PostgreSQL, 40001 with vendor code 1213 on MariaDB). */
    DEADLOCK,
    /** A lock wait timed out (retried only when the transactions are built to). */
    LOCK_TIMEOUT
}
