package io.raceguard.jdbc;

import static java.util.Objects.requireNonNull;

import io.raceguard.idempotency.IdempotencyKey;
import io.raceguard.idempotency.spi.IdempotencyRecord;
import io.raceguard.idempotency.spi.IdempotencyStore;
import java.time.Duration;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * An {@link IdempotencyStore} in a database table ({@value TableNames#DEFAULT_IDEMPOTENCY} by
 * default), for {@link io.raceguard.idempotency.Idempotency}.
 *
 * <pre>{@code
 * Schema.defaults().create(jdbi);
 * JdbcIdempotencyStore store = JdbcIdempotencyStore.create(jdbi);
 * Idempotency idempotency = Idempotency.builder(store).lease(Duration.ofSeconds(30)).build();
 * }</pre>
 *
 * <h2>What is atomic, statement by statement</h2>
 * A record is found by the SHA-256 of its scope, a NUL byte and its key, so scopes and keys of up to
 * 8 KiB compare byte for byte on every database. Every transition is one statement, decided by the
 * database on its own clock ({@code statement_timestamp()}, {@code UTC_TIMESTAMP(6)},
 * {@code CURRENT_TIMESTAMP}):
 * <ul>
 *   <li><b>claim</b>: an upsert that inserts an in-progress record, or replaces one past its
 *       retention, and otherwise leaves the record alone and returns it. Never a caught duplicate: a
 *       claim never fails, so it never poisons a transaction.
 *       <ul>
 *         <li>PostgreSQL: {@code INSERT ... ON CONFLICT (key_hash) DO UPDATE ... WHERE expires_at <=
 *             now RETURNING}, and in the same statement the live record from its snapshot: one
 *             round trip. When the record that refused the claim is newer than that snapshot (it
 *             was inserted meanwhile) or was released meanwhile, the statement is run again: two.
 *         <li>MariaDB (10.5 or later): {@code INSERT ... ON DUPLICATE KEY UPDATE ... RETURNING}, where
 *             every assignment keeps the old value unless the record is past its retention, and
 *             the decision is carried in {@code LAST_INSERT_ID()} (which the call therefore
 *             overwrites on the session): one round trip, returning the record as locked.
 *         <li>H2: {@code MERGE} ({@code WHEN MATCHED AND expired THEN UPDATE}, {@code WHEN NOT MATCHED
 *             THEN INSERT}), then, if it did not claim, a read of the live record: two round trips.
 *             A {@code MERGE} racing another's insert fails with a duplicate key; H2 rolls back
 *             only that statement, and the claim is made again.
 *       </ul>
 *   <li><b>complete</b>: {@code UPDATE ... SET status = 'COMPLETED', response = ?, expires_at = now +
 *       retention WHERE key_hash = ? AND owner = ? AND status = 'IN_PROGRESS' AND expires_at > now}.
 *   <li><b>release</b>: {@code DELETE ... WHERE} the same owner-fenced condition.
 *   <li><b>takeOver</b>: {@code UPDATE ... SET owner = :new, lease_expires_at = now + lease,
 *       expires_at = GREATEST(expires_at, now + lease) WHERE owner = :expected AND status =
 *       'IN_PROGRESS' AND lease_expires_at <= now AND expires_at > now}: compare-and-set on the old
 *       owner, so of several takers exactly one wins, and the dead owner's late {@code complete}
 *       or {@code release} then matches no row.
 * </ul>
 * A record past its retention is absent to every transition: a claim replaces it, the others match
 * nothing. Expired records are deleted by {@link #reapExpired(int)}.
 *
 * <p>The claim, which is all a replayed request costs, runs as a plain JDBC prepared statement on the
 * connection the {@link Jdbi} lends, not through Jdbi's statement API, so Jdbi's statement
 * customizers, SQL loggers and plugins configured on it do not see it (a query timeout set with
 * {@code SqlStatements#setQueryTimeout} still applies); the other transitions run through Jdbi.
 *
 * <p>Outside {@link #inTransactionOf}, each transition opens a handle of its own, so a thread that
 * calls the store inside its own Jdbi transaction holds two pooled connections at once: size the pool
 * for it, and do not give the store a {@code Jdbi} whose data source hands every caller one shared
 * connection, or its commits would commit the caller's transaction too.
 *
 * <h2>Two modes</h2>
 * <ul>
 *   <li>This store runs each transition on a connection of its own, in autocommit mode: a claim is
 *       visible to every process at once, and a process that dies mid-work leaves an in-progress
 *       record that is taken over once its lease expires. The work's own database writes commit
 *       separately from the recorded response.
 *   <li>{@link #inTransactionOf(Handle)} runs them in the caller's transaction, with the business
 *       write, so the response and the effect commit or roll back together.
 * </ul>
 *
 * <h2>Failure model</h2>
 * A fault is thrown as {@link io.raceguard.BackendException} with the driver's exception as its cause.
 * A statement rolled back because a concurrent one won (a deadlock between MariaDB upserts) had no
 * effect and is run again, a bounded number of times. If the connection is lost while a statement
 * runs, it may or may not have committed: a lost claim leaves at worst an in-progress record that
 * retries see as in progress until its lease expires; a lost completion leaves the record in
 * progress, so after the lease a retry runs the work again (see {@link
 * io.raceguard.idempotency.Idempotency}). H2 serves a single process (embedded or tests).
 *
 * <p>Thread-safe: one instance serves the whole application. Owner tokens are at most
 * {@value IdempotencyOperations#MAX_OWNER_LENGTH} characters and fingerprints at most
 * {@value IdempotencyOperations#MAX_FINGERPRINT_BYTES} bytes (the engine uses 32 and 32).
 */
public final class JdbcIdempotencyStore implements IdempotencyStore {

    private final StoreStatements statements;
    private final IdempotencyOperations operations;

    private JdbcIdempotencyStore(Jdbi jdbi, TableNames names) {
        this.statements = new StoreStatements(jdbi);
        this.operations = new IdempotencyOperations(names);
    }

    /**
     * @param jdbi where the idempotency table is, under its default name
     * @return a store in that database
     * @throws NullPointerException if {@code jdbi} is null
     */
    public static JdbcIdempotencyStore create(Jdbi jdbi) {
        return create(jdbi, TableNames.defaults());
    }

    /**
     * @param jdbi where the idempotency table is
     * @param names the table names, as given to {@link Schema}
     * @return a store in that database
     * @throws NullPointerException if an argument is null
     */
    public static JdbcIdempotencyStore create(Jdbi jdbi, TableNames names) {
        return new JdbcIdempotencyStore(requireNonNull(jdbi, "jdbi"), requireNonNull(names, "names"));
    }

    @Override
    public Optional<IdempotencyRecord> claim(
            IdempotencyKey key, byte[] fingerprint, String owner, Duration lease, Duration retention) {
        IdempotencyOperations.checkClaim(key, fingerprint, owner, lease, retention);
        return statements.run("idempotency claim",
                handle -> operations.claim(handle, key, fingerprint, owner, lease, retention));
    }

    @Override
    public boolean complete(IdempotencyKey key, String owner, byte[] response, Duration retention) {
        IdempotencyOperations.checkComplete(key, owner, response, retention);
        return statements.run("idempotency completion",
                handle -> operations.complete(handle, key, owner, response, retention));
    }

    @Override
    public boolean release(IdempotencyKey key, String owner) {
        IdempotencyOperations.checkRelease(key, owner);
        return statements.run("idempotency release", handle -> operations.release(handle, key, owner));
    }

    @Override
    public boolean takeOver(IdempotencyKey key, String expectedOwner, String newOwner, Duration lease) {
        IdempotencyOperations.checkTakeOver(key, expectedOwner, newOwner, lease);
        return statements.run("idempotency takeover",
                handle -> operations.takeOver(handle, key, expectedOwner, newOwner, lease));
    }

    /**
     * The same store, bound to the caller's open transaction: every transition runs on {@code handle},
     * so a claim, the caller's business writes and the completion commit together, or roll back
     * together. Use it for one request:
     *
     * <pre>{@code
     * IdempotentResult<Receipt> result = jdbi.inTransaction(handle -> Idempotency
     *         .builder(store.inTransactionOf(handle))
     *         .build()
     *         .execute(key, requestBytes, receiptCodec, () -> charge(handle, order)));
     * }</pre>
     *
     * <p><b>What it guarantees.</b> Either the effect and its recorded response are both committed,
     * or neither is: a crash, a failed commit or a rollback leaves no claim behind, so a retry runs the
     * work from scratch; a committed record always has the response of the committed effect. There is
     * no window in which the work is done but the response not recorded.
     *
     * <p><b>What it costs.</b> The claim's row is locked from the claim until the caller's transaction
     * ends: a concurrent duplicate request's claim waits on that lock, then sees the committed
     * record ({@code COMPLETED}, replayed) or, after a rollback, claims the key itself. So the
     * transaction should be short; a database lock timeout ({@code lock_timeout},
     * {@code innodb_lock_wait_timeout}, H2's {@code LOCK_TIMEOUT}) ends the duplicate's wait with a
     * {@link io.raceguard.BackendException}. Claim first in the transaction, before other writes, so
     * that duplicates never hold locks this transaction needs. On PostgreSQL at REPEATABLE READ or
     * SERIALIZABLE the duplicate's claim fails with a serialization failure (40001) instead of
     * waiting for a replay: retry its whole transaction (see {@link Transactions}). Nothing is
     * retried inside the caller's transaction, and no statement is expected to fail (so nothing
     * poisons it), except on H2, where a claim racing another's insert fails and is made again. On
     * MariaDB a claim sets the session's {@code LAST_INSERT_ID()}: read a key your own insert
     * generated before claiming, or through {@code getGeneratedKeys}.
     *
     * <p>Leases and takeovers still apply, but an uncommitted claim is invisible to other
     * transactions and a committed one is normally already completed: the lease matters only if the
     * caller commits without completing.
     *
     * @param handle the caller's handle, with a transaction open; it must stay open while the
     *     returned store is used, and is used only from the caller's thread
     * @return a store that runs every transition on {@code handle}; not thread-safe
     * @throws NullPointerException if {@code handle} is null
     * @throws IllegalStateException if {@code handle} has no open transaction
     */
    public IdempotencyStore inTransactionOf(Handle handle) {
        return new InTransactionIdempotencyStore(this, requireOpenTransaction(requireNonNull(handle, "handle")));
    }

    /**
     * Deletes up to {@code batchSize} records past their retention, oldest first, in one short
     * transaction, skipping rows another transaction has locked ({@code FOR UPDATE SKIP LOCKED}; one
     * {@code DELETE} on PostgreSQL, a locking {@code SELECT} then a {@code DELETE} on MariaDB 10.6+ and
     * H2). An in-progress record whose lease is live is never deleted, whatever its retention. Run it on
     * a schedule, repeating while it returns {@code batchSize}; several processes may run it at once.
     *
     * @param batchSize how many records at most, from 1 to 10,000
     * @return how many records were deleted
     * @throws IllegalArgumentException if {@code batchSize} is out of range
     * @throws io.raceguard.BackendException if the database failed
     */
    public int reapExpired(int batchSize) {
        if (batchSize < 1 || batchSize > 10_000) {
            throw new IllegalArgumentException("batchSize must be in 1..10000, was " + batchSize);
        }
        return statements.run("idempotency reaper", handle -> operations.reapExpired(handle, batchSize));
    }

    IdempotencyOperations operations() {
        return operations;
    }

    static Handle requireOpenTransaction(Handle handle) {
        if (!handle.isInTransaction()) {
            throw new IllegalStateException("the handle has no open transaction: begin one (jdbi.inTransaction, "
                    + "handle.begin()) before binding the idempotency store to it");
        }
        return handle;
    }

    @Override
    public String toString() {
        return "JdbcIdempotencyStore";
    }
}
