package io.raceguard.jdbc;

import static io.raceguard.internal.SetOnce.requireUnset;
import static java.util.Objects.requireNonNull;

import io.raceguard.internal.Inputs;
import io.raceguard.lock.LockManager;
import io.raceguard.lock.LockManagerBuilder;
import io.raceguard.lock.spi.LockBackend;
import java.time.Duration;
import javax.sql.DataSource;

/**
 * PostgreSQL session-scoped advisory locks as a {@link LockManager}: each lease holds a
 * session-level advisory lock on a connection of its own, pinned to the lease until it is released.
 * No table. For locks that join a transaction of yours, use {@link PostgresAdvisoryLocks}, which works
 * behind every pooler.
 *
 * <pre>{@code
 * LockManager locks = PostgresSessionLocks.create(dataSource);
 * try (Lease lease = locks.acquire("nightly-report", LeaseOptions.ttl(Duration.ofSeconds(30)).withAutoRenew())) { ... }
 * }</pre>
 *
 * <h2>What is atomic</h2>
 * {@code pg_try_advisory_lock} takes the lock, {@code pg_advisory_unlock} releases it with its result
 * checked, and the connection is closed on release, so every held lease takes one connection (size a
 * pool for it) and every attempt opens one. The fencing token is the PostgreSQL transaction id of the
 * acquiring statement ({@code txid_current()}), assigned after the lock was granted from the server's
 * global counter, so it strictly increases across holders of a key and needs no table; assigning it
 * costs a commit record per acquisition. Keys become lock ids as described in
 * {@link PostgresAdvisoryLocks} ("Key hashing"), in the same namespaces, so a session lock and a
 * transaction lock on the same key and namespace exclude each other. The manager comes from
 * {@link LockManager#builder}, so waiting, safety deadlines, auto-renewal and {@code onLost} behave as
 * described there.
 *
 * <h2>Failure model</h2>
 * The lock has no expiry on the server: it lasts until released or until its session ends. The
 * lease's ttl is how long the holder trusts it without a confirmed keepalive:
 * {@link io.raceguard.lock.LeaseOptions#withAutoRenew() auto-renewal} (and
 * {@link io.raceguard.lock.Lease#extend}) checks that the pinned connection still answers, and a lost
 * connection (server restart, failover, {@code pg_terminate_backend}, network) marks the lease lost:
 * {@code onLost} fires and {@code checkValid} throws. Without auto-renewal a lost connection is only
 * noticed when the lease's deadline passes. Advisory locks live in the memory of the PostgreSQL
 * primary: a restart or failover drops them all. Transaction ids continue on a promoted replica, but
 * with asynchronous replication the last ids may be handed out again. No clock is involved on the
 * server.
 *
 * <p><b>Breaks behind PgBouncer in transaction (or statement) pooling.</b> There a client connection
 * is lent a server connection for one transaction only: the lock is taken in server session A, the
 * unlock may run in session B (returns false, the lock stays held by A), and the next client lent
 * session A holds the lock without having asked for it (advisory locks are reentrant per session)
 * while others are locked out. The checked unlock detects the first half and aborts the connection.
 * Use these locks only on direct connections or session pooling; behind transaction pooling use
 * {@link PostgresAdvisoryLocks} or {@link JdbcLocks}.
 *
 * <p>This class is a stateless factory; the managers it builds are thread-safe.
 */
public final class PostgresSessionLocks {

    private PostgresSessionLocks() {}

    /**
     * A lock manager in the {@value PostgresAdvisoryLocks#DEFAULT_NAMESPACE} namespace, one pinned
     * connection per held lease, with the default backoff and a 5 s statement timeout.
     *
     * @param dataSource where the pinned connections come from: direct connections or a pool, never
     *     a transaction-pooling proxy (see the class javadoc)
     * @return a new lock manager; it opens no connection until a lock is asked for
     * @throws NullPointerException if {@code dataSource} is null
     */
    public static LockManager create(DataSource dataSource) {
        return builder(dataSource).build();
    }

    /**
     * @param dataSource where the pinned connections come from (see {@link #create(DataSource)})
     * @return a builder with the default namespace, backoff and statement timeout
     * @throws NullPointerException if {@code dataSource} is null
     */
    public static Builder builder(DataSource dataSource) {
        return new Builder(requireNonNull(dataSource, "dataSource"));
    }

    /**
     * Configures a {@link PostgresSessionLocks} manager, on top of the {@link LockManagerBuilder}
     * options (each backoff attempt opens a connection: a pool makes waiting cheaper). Each option is
     * validated when it is set, and may be set once. Not thread-safe; the manager it builds is.
     */
    public static final class Builder extends LockManagerBuilder<Builder> {

        private final DataSource dataSource;
        private final LockManagerSettings settings = new LockManagerSettings();
        private PostgresAdvisoryLocks ids;

        private Builder(DataSource dataSource) {
            this.dataSource = dataSource;
        }

        /**
         * @param namespace see {@link PostgresAdvisoryLocks#create(String)}
         * @return this builder
         * @throws NullPointerException if {@code namespace} is null
         * @throws IllegalArgumentException if {@code namespace} is blank, too long or holds NUL
         * @throws IllegalStateException if the namespace is already set
         */
        public Builder namespace(String namespace) {
            PostgresAdvisoryLocks named = PostgresAdvisoryLocks.create(namespace);
            requireUnset(this.ids, "namespace");
            this.ids = named;
            return this;
        }

        /**
         * Bounds the lock, unlock and keepalive statements with a JDBC query timeout, in whole seconds
         * (rounded up).
         *
         * @param timeout at least 1 s; 5 s by default
         * @return this builder
         * @throws NullPointerException if {@code timeout} is null
         * @throws IllegalArgumentException if it is under 1 s or over {@link Inputs#MAX_DURATION}
         * @throws IllegalStateException if the statement timeout is already set
         */
        public Builder statementTimeout(Duration timeout) {
            settings.statementTimeout(timeout);
            return this;
        }

        /** Creates the backend; it opens no connection until a lock is asked for. */
        @Override
        protected LockBackend backend() {
            PostgresAdvisoryLocks lockIds = ids == null ? PostgresAdvisoryLocks.create() : ids;
            return new PinnedSessions(dataSource, lockIds::lockId, settings.statementTimeoutSeconds());
        }
    }
}
