-- Raceguard tables for PostgreSQL (14 or later), with the default names.
--
-- Run as is (psql, Flyway, Liquibase), or let io.raceguard.jdbc.Schema run it with your own table
-- names. Every statement is idempotent (IF NOT EXISTS).
--
-- Conventions shared by every table:
-- * Rows are keyed by key_hash, the SHA-256 of the key's UTF-8 bytes (for idempotency: of the scope,
--   a NUL byte and the key; for rate limits: of the policy, a NUL byte and the key). Keys may be up to
--   8 KiB, more than a btree entry holds, and must compare byte for byte, so they are looked up by
--   hash only; the full key is kept in a text column for people reading the table.
-- * Every time is the database's time, never a JVM clock. Timestamps are WITH TIME ZONE so that
--   sessions with different TimeZone settings agree on them.

-- Lease locks (io.raceguard.jdbc.JdbcLocks). Fencing tokens come from the sequence, inside the
-- acquire statement, so a row can be deleted on release while tokens keep increasing per key. The
-- token is drawn after the row is written (so that it is drawn while the row is held), which is why
-- the row does not store it.
CREATE TABLE IF NOT EXISTS raceguard_locks (
    key_hash   BYTEA                       NOT NULL PRIMARY KEY CHECK (octet_length(key_hash) = 32),
    lock_key   TEXT                        NOT NULL,
    owner      VARCHAR(32)                 NOT NULL,
    expires_at TIMESTAMP(6) WITH TIME ZONE NOT NULL
);

CREATE SEQUENCE IF NOT EXISTS raceguard_lock_fence AS BIGINT START WITH 1;

-- Bounded counters (io.raceguard.jdbc.JdbcCounters).
CREATE TABLE IF NOT EXISTS raceguard_counters (
    key_hash    BYTEA  NOT NULL PRIMARY KEY CHECK (octet_length(key_hash) = 32),
    counter_key TEXT   NOT NULL,
    level       BIGINT NOT NULL CHECK (level >= 0)
);

-- Rate-limit state (io.raceguard.jdbc.JdbcRateLimiter), one row per policy and key. The columns are
-- the state of the arithmetic in io.raceguard.limit: fixed window (window_index, window_count),
-- sliding window (window_index, window_count, previous_count), token bucket (arrival_ms,
-- arrival_fraction), sliding log (log_ms: the last L permits, each as the 16-digit time it
-- leaves the window); an algorithm leaves the others at 0 or empty. decided_at_ms: the time of the key's last
-- allowed decision, below which no later decision's time goes. expires_at_ms: from when the state no
-- longer affects any decision. Both in database milliseconds since the Unix epoch.
CREATE TABLE IF NOT EXISTS raceguard_rate_limits (
    key_hash         BYTEA       NOT NULL PRIMARY KEY CHECK (octet_length(key_hash) = 32),
    limit_key        TEXT        NOT NULL,
    policy           VARCHAR(64) NOT NULL,
    window_index     BIGINT      NOT NULL DEFAULT 0,
    window_count     BIGINT      NOT NULL DEFAULT 0,
    previous_count   BIGINT      NOT NULL DEFAULT 0,
    arrival_ms       BIGINT      NOT NULL DEFAULT 0,
    arrival_fraction BIGINT      NOT NULL DEFAULT 0,
    decided_at_ms    BIGINT      NOT NULL DEFAULT 0,
    log_ms           TEXT        NOT NULL DEFAULT '',
    expires_at_ms    BIGINT      NOT NULL
);

CREATE INDEX IF NOT EXISTS raceguard_rate_limits_expires_at ON raceguard_rate_limits (expires_at_ms);

-- Idempotency records (io.raceguard.jdbc.JdbcIdempotencyStore). An IN_PROGRESS record may be taken
-- over once lease_expires_at has passed; any record may be replaced or reaped once expires_at has.
-- lease_micros is the length of the current lease: the lease reported to a waiting caller never
-- exceeds it, whatever instant within its statement each statement reads as "now".
CREATE TABLE IF NOT EXISTS raceguard_idempotency (
    key_hash         BYTEA                       NOT NULL PRIMARY KEY CHECK (octet_length(key_hash) = 32),
    scope            TEXT                        NOT NULL,
    idem_key         TEXT                        NOT NULL,
    status           VARCHAR(16)                 NOT NULL CHECK (status IN ('IN_PROGRESS', 'COMPLETED')),
    owner            VARCHAR(64)                 NOT NULL,
    fingerprint      BYTEA                       NOT NULL,
    response         BYTEA,
    lease_micros     BIGINT                      NOT NULL,
    lease_expires_at TIMESTAMP(6) WITH TIME ZONE NOT NULL,
    expires_at       TIMESTAMP(6) WITH TIME ZONE NOT NULL
);

CREATE INDEX IF NOT EXISTS raceguard_idempotency_expires_at ON raceguard_idempotency (expires_at);
