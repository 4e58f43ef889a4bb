/**
 * Raceguard on your database (PostgreSQL, MariaDB/MySQL, H2), on Jdbi 3. Two kinds of API live here.
 *
 * <h2>Guarded SQL on your own tables</h2>
 * <ul>
 *   <li>{@link io.raceguard.jdbc.GuardedUpdates}: the condition inside the write ({@code UPDATE ...
 *       WHERE balance >= ?}), insert-if-absent and fenced updates, each answering an
 *       {@link io.raceguard.Outcome} that tells a failed condition from a missing row.
 *   <li>{@link io.raceguard.jdbc.Transactions}: a whole transaction retried on serialization conflicts
 *       and deadlocks, never when its commit outcome is unknown ({@link
 *       io.raceguard.jdbc.CommitOutcomeUnknownException}).
 *   <li>{@link io.raceguard.jdbc.RowLocks}: several rows locked {@code FOR UPDATE} in one key order, with
 *       no-wait, skip-locked or a timeout ({@link io.raceguard.jdbc.RowLocksUnavailableException}).
 *   <li>{@link io.raceguard.jdbc.SqlFailure}: what a database failure was (serialization conflict,
 *       deadlock, lock timeout, unique violation), from the vendor's codes.
 * </ul>
 *
 * <h2>The primitives, stored in Raceguard's own tables</h2>
 * <ul>
 *   <li>{@link io.raceguard.jdbc.JdbcCounters}, {@link io.raceguard.jdbc.JdbcRateLimiter}, {@link
 *       io.raceguard.jdbc.JdbcIdempotencyStore}, {@link io.raceguard.jdbc.JdbcLocks} (a lease table on
 *       database time), {@link io.raceguard.jdbc.PostgresSessionLocks} (a {@code LockManager} on
 *       PostgreSQL session advisory locks) and {@link io.raceguard.jdbc.PostgresAdvisoryLocks}
 *       (transaction-scoped advisory locks on a handle).
 *   <li>{@link io.raceguard.jdbc.Schema} creates their tables (or ships the DDL for Flyway and
 *       Liquibase); {@link io.raceguard.jdbc.TableNames} names them; {@link io.raceguard.jdbc.Dialect}
 *       is the SQL dialect, detected from the connection.
 * </ul>
 *
 * <p>Every store opens its own handle and commits on its own, so a call made inside the caller's Jdbi
 * transaction neither joins nor commits it. Identifiers are validated and quoted; values are always
 * bound parameters. Everything else in this package is package-private.
 */
package io.raceguard.jdbc;
