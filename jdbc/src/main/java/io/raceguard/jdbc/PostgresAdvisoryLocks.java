package io.raceguard.jdbc;

import static io.raceguard.internal.SetOnce.requireUnset;
import static java.util.Objects.requireNonNull;

import io.raceguard.internal.Inputs;
import io.raceguard.lock.LockManager;
import io.raceguard.lock.LockTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.JdbiException;

/**
 * PostgreSQL transaction-scoped advisory locks: locks on 64-bit numbers that PostgreSQL keeps in
 * memory, with no table, taken inside the caller's transaction and released when it ends. For a
 * {@link LockManager} of leases that outlive a transaction, see {@link PostgresSessionLocks}.
 *
 * <pre>{@code
 * private static final PostgresAdvisoryLocks ADVISORY = PostgresAdvisoryLocks.create();
 *
 * jdbi.useTransaction(handle -> {
 *     handle.execute("SET LOCAL lock_timeout = '2s'");       // bounds the wait of lock()
 *     ADVISORY.lock(handle, "account:" + accountId);         // pg_advisory_xact_lock
 *     long balance = readBalance(handle, accountId);         // check ...
 *     writeBalance(handle, accountId, balance - amount);     // ... then act, serialized per account
 * });                                                        // commit or rollback releases the lock
 * }</pre>
 *
 * <h2>What is atomic</h2>
 * {@link #lock} ({@code pg_advisory_xact_lock}) and {@link #tryLock} ({@code
 * pg_try_advisory_xact_lock}) run on the caller's {@link Handle}, inside its open transaction, and
 * the lock is held until that transaction commits or rolls back; there is no unlock. Taking a lock
 * the transaction already holds succeeds again (reentrant). One statement, one round trip.
 *
 * <p><b>Fencing.</b> None, and none is needed for the writes the lock protects in the same
 * database: the lock and those writes end together, at commit or rollback. If the session dies, the
 * transaction rolls back with everything it wrote, so a holder that lost its lock cannot leave a
 * stale write behind. Side effects outside the transaction (a call to another service) are not
 * covered; for those, use a lease with a fencing token ({@link JdbcLocks}).
 *
 * <p><b>PgBouncer.</b> Safe in every pooling mode: a transaction stays on one server connection,
 * and the lock goes with the transaction.
 *
 * <h2>Key hashing</h2>
 * A key becomes the lock id {@link #lockId}: the first 8 bytes, big-endian, of the SHA-256 of the
 * namespace's UTF-8 bytes, a NUL byte and the key's UTF-8 bytes (neither may contain NUL, so the
 * pair is unambiguous). The namespace ({@value #DEFAULT_NAMESPACE} by default) keeps these ids apart
 * from other users of advisory locks on the same database. With {@code n} keys locked at once, the
 * chance that two of them share an id is about {@code n² / 2^65}: one in 37 million for a million
 * keys. Two keys that collide simply share one lock: mutual exclusion still holds, they only wait for
 * each other. The ids are stable across versions and JVMs, so every process that uses the same
 * namespace excludes the others, and {@link PostgresSessionLocks} derives its ids the same way.
 *
 * <h2>Failure model</h2>
 * Advisory locks live in the memory of the PostgreSQL primary: a restart or failover drops them all,
 * and the transactions that held them roll back. No clock is involved on the server. {@link #lock}
 * waits in PostgreSQL's lock queue, bounded only by the transaction's {@code lock_timeout} or
 * {@code statement_timeout}, and cannot be interrupted from Java.
 *
 * <p>Instances are immutable and thread-safe; a {@link Handle} itself is not.
 */
public final class PostgresAdvisoryLocks {

    /** The namespace of {@link #create()} and of {@link PostgresSessionLocks#create(DataSource)}. */
    public static final String DEFAULT_NAMESPACE = "raceguard";

    private final String namespace;

    private PostgresAdvisoryLocks(String namespace) {
        this.namespace = namespace;
    }

    /** @return transaction-scoped advisory locks in the {@value #DEFAULT_NAMESPACE} namespace */
    public static PostgresAdvisoryLocks create() {
        return new PostgresAdvisoryLocks(DEFAULT_NAMESPACE);
    }

    /**
     * @param namespace what the lock ids are derived from along with the key; follows the key rules
     *     of {@link Inputs#requireKey}
     * @return transaction-scoped advisory locks in that namespace
     * @throws NullPointerException if {@code namespace} is null
     * @throws IllegalArgumentException if {@code namespace} is blank, too long or holds NUL
     */
    public static PostgresAdvisoryLocks create(String namespace) {
        return new PostgresAdvisoryLocks(Inputs.requireKey(namespace, "namespace"));
    }

    /**
     * Takes the lock for the rest of the handle's transaction if no other transaction or session
     * holds it ({@code pg_try_advisory_xact_lock}); never waits, and a refusal leaves the
     * transaction usable.
     *
     * @param handle a handle with an open transaction on PostgreSQL
     * @param key the lock key
     * @return whether the transaction now holds the lock
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if the key is invalid or the handle is not on PostgreSQL
     * @throws IllegalStateException if the handle has no open transaction (the lock would be released
     *     as soon as the statement ended)
     * @throws JdbiException if the database failed; see {@link SqlFailure}
     */
    public boolean tryLock(Handle handle, String key) {
        long lockId = lockIdInTransaction(handle, key);
        return handle.createQuery("SELECT pg_try_advisory_xact_lock(:lockId)")
                .bind("lockId", lockId)
                .mapTo(Boolean.class)
                .one();
    }

    /**
     * Takes the lock for the rest of the handle's transaction, waiting in PostgreSQL's lock queue for
     * as long as the transaction's {@code lock_timeout} allows ({@code pg_advisory_xact_lock}). Set
     * {@code SET LOCAL lock_timeout = '...'} first: PostgreSQL's default is to wait forever.
     *
     * @param handle a handle with an open transaction on PostgreSQL
     * @param key the lock key
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if the key is invalid or the handle is not on PostgreSQL
     * @throws IllegalStateException if the handle has no open transaction
     * @throws LockTimeoutException if {@code lock_timeout} passed first; its cause is the database's
     *     error ({@link SqlFailure.LockTimeout}), and the transaction is aborted: roll it back (a
     *     {@link Transactions} policy that retries lock timeouts runs it again)
     * @throws JdbiException if the database failed otherwise; see {@link SqlFailure}
     */
    public void lock(Handle handle, String key) {
        long lockId = lockIdInTransaction(handle, key);
        long started = System.nanoTime();
        try {
            handle.createQuery("SELECT 1 FROM (SELECT pg_advisory_xact_lock(:lockId)) AS locked")
                    .bind("lockId", lockId)
                    .mapTo(Integer.class)
                    .one();
        } catch (JdbiException failure) {
            if (SqlFailure.classify(failure) instanceof SqlFailure.LockTimeout) {
                LockTimeoutException timeout = new LockTimeoutException(key,
                        Duration.ofNanos(System.nanoTime() - started));
                timeout.initCause(failure);
                throw timeout;
            }
            throw failure;
        }
    }

    /**
     * The 64-bit id PostgreSQL locks for {@code key} (see "Key hashing" above), as it appears in
     * {@code pg_locks}: {@code classid} holds the high 32 bits, {@code objid} the low ones,
     * {@code objsubid} is 1.
     *
     * @param key the lock key
     * @return the lock id
     * @throws NullPointerException if {@code key} is null
     * @throws IllegalArgumentException if the key is invalid
     */
    public long lockId(String key) {
        Inputs.requireKey(key, "key");
        return ByteBuffer.wrap(KeyDigest.of(namespace, key)).getLong();
    }

    private long lockIdInTransaction(Handle handle, String key) {
        requireNonNull(handle, "handle");
        long lockId = lockId(key);
        if (Dialect.of(handle.getConnection()) != Dialect.POSTGRESQL) {
            throw new IllegalArgumentException("advisory locks need PostgreSQL, but the handle is on another database");
        }
        if (!handle.isInTransaction()) {
            throw new IllegalStateException("a transaction-scoped advisory lock needs an open transaction on the"
                    + " handle;"
                    + " without one it would be released as soon as its statement ended");
        }
        return lockId;
    }
}
