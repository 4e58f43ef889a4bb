package io.raceguard.jdbc;

import static io.raceguard.internal.SetOnce.requireUnset;
import static java.util.Objects.requireNonNull;

import io.raceguard.internal.Inputs;
import io.raceguard.lock.LockManager;
import io.raceguard.lock.LockManagerBuilder;
import io.raceguard.lock.spi.LockBackend;
import java.time.Duration;
import org.jdbi.v3.core.Jdbi;

/**
 * Distributed locks on a lease table, for teams whose only shared infrastructure is their database:
 * one row per held key, expiry on the database's clock, fencing tokens from a database sequence.
 *
 * <pre>{@code
 * LockManager locks = JdbcLocks.create(jdbi);
 * try (Lease lease = locks.acquire("coupon:SAVE20",
 *         LeaseOptions.ttl(Duration.ofSeconds(10)).waitUpTo(Duration.ofSeconds(2)))) {
 *     lease.checkValid();
 *     COUPONS.fencedSet("state", "REDEEMED", "fence", lease.fencingToken()).apply(handle, couponId);
 * }
 * }</pre>
 *
 * <p>The table ({@code key_hash} primary key, {@code lock_key}, {@code owner}, {@code expires_at})
 * and the sequence are created by the shipped schema. Keys are stored by the SHA-256 of their UTF-8
 * bytes, so keys up to 8 KiB that differ only in case, trailing spaces or Unicode normalization are
 * different locks on every database. The manager comes from {@link LockManager#builder}, so waiting,
 * safety deadlines, auto-renewal and {@code onLost} behave as described there.
 *
 * <h2>What is atomic</h2>
 * <ul>
 *   <li><b>Acquire</b> is one statement that inserts the row, or takes over a row whose
 *       {@code expires_at} has passed on the database clock, and draws the fencing token from the
 *       sequence (PostgreSQL {@code INSERT ... ON CONFLICT DO UPDATE ... WHERE} expired
 *       {@code RETURNING}; MariaDB {@code INSERT ... ON DUPLICATE KEY UPDATE} conditional on the old
 *       expiry, with {@code RETURNING}; H2 {@code MERGE} inside {@code FINAL TABLE}). A row held by a
 *       live lease is never touched. Two owners inserting a new key at once on H2, or a deadlock or
 *       serialization failure that persists through the retries, count as busy: the statement was
 *       rolled back.
 *   <li><b>Fencing tokens</b> come from one sequence for the whole table, drawn by the statement
 *       that won the row, after writing it and while holding the row's lock. A later holder can only
 *       win the row once the earlier one's row is gone or expired, so it draws later: tokens strictly
 *       increase per key across holders, although rows are deleted on release.
 *   <li><b>Release</b> is {@code DELETE ... WHERE key_hash = ? AND owner = ?}; <b>extend</b> is
 *       {@code UPDATE ... SET expires_at = now() + ttl WHERE key_hash = ? AND owner = ? AND
 *       expires_at > now()}. Both are owner-checked; an expired lease can no longer be extended,
 *       even if nobody has taken its key yet.
 * </ul>
 * Each acquire attempt, release and extension is one statement; every hundredth acquisition adds one
 * statement for the reaping below. Waiting {@link LockManager#acquire} repeats the attempt with the
 * engine's exponential backoff and full jitter (2 ms to 200 ms unless {@link Builder#backoff} says
 * otherwise).
 *
 * <p>Every statement runs in a short transaction of its own, on a connection of its own taken from
 * the {@link Jdbi} (use a pool), never inside a transaction of the caller's; a statement chosen as a
 * deadlock victim or failing serialization (whose transaction was rolled back whole) is run again
 * after a short random pause, a few times at most. The {@link Jdbi} only lends the connection: the
 * statements are plain JDBC prepared statements on it, so Jdbi's statement customizers, SQL loggers
 * and plugins configured on it do not see them.
 *
 * <h2>Bounded table</h2>
 * Rows are deleted on release; an expired row is taken over by the next acquisition of its key; and
 * after every hundred acquisitions the manager deletes up to a hundred expired rows (one extra,
 * amortized statement, {@code FOR UPDATE SKIP LOCKED} on PostgreSQL), so rows left by holders that
 * died never accumulate.
 *
 * <h2>Failure model</h2>
 * <ul>
 *   <li><b>Database clock.</b> Expiry is decided by the database server's clock only; clocks of
 *       application servers do not matter. The holder's local safety deadline is measured on its
 *       monotonic clock from just before the acquire statement, minus a drift margin. A database
 *       clock that jumps forward expires leases early, and another owner can take the key while its
 *       holder still trusts it: the fencing token is what stops the old holder's writes.
 *   <li><b>Connection loss.</b> An acquire whose connection broke may have taken the key; the key
 *       then expires at its ttl. A failed release is logged and the key expires at its ttl. Each
 *       statement carries a JDBC query timeout (5 s by default), so a statement stalled in the
 *       database (waiting on a row lock, a stuck server) is cancelled and cannot block the renewal
 *       thread forever. It is the query timeout, not a session setting such as PostgreSQL's
 *       {@code statement_timeout}, because the connections are the pool's: a setting made on them
 *       would outlive the statement and bound its other users' statements too. A network that stops
 *       answering is not bounded by it: the driver's socket timeout is what bounds that.
 *   <li><b>Failover.</b> With synchronous replication nothing changes. With asynchronous replication
 *       a promoted replica may lack the latest acquisitions, so a key can be granted twice, and may
 *       lack the latest sequence values, so a token can be handed out again: a resource could then
 *       accept an old holder's write. Where that matters, replicate synchronously.
 *   <li><b>Transaction-aware data sources.</b> Give this class a {@link Jdbi} whose connections are
 *       not bound to the caller's transaction (a plain pool, not a Spring
 *       {@code TransactionAwareDataSourceProxy}): its statements must commit on their own.
 *   <li><b>PgBouncer.</b> Safe in every pooling mode: each statement is self-contained and no session
 *       state is used.
 *   <li><b>Databases.</b> PostgreSQL 9.5+, MariaDB 10.5+ ({@code RETURNING} and sequences) and H2
 *       2.x. MySQL has neither sequences nor {@code RETURNING}: its first acquire fails with a
 *       syntax error. A database other than these fails the first call with an
 *       {@link IllegalArgumentException}.
 * </ul>
 *
 * <p>This class is a stateless factory; the managers it builds are thread-safe.
 */
public final class JdbcLocks {

    private static final int DEFAULT_REAP_EVERY = 100;

    private JdbcLocks() {}

    /**
     * A lock manager on the default table and sequence. It opens no connection until the first lock
     * is asked for, and detects the dialect then.
     *
     * @param jdbi the database; its connections must not be bound to the caller's transaction (see
     *     the class javadoc)
     * @return a new lock manager
     * @throws NullPointerException if {@code jdbi} is null
     */
    public static LockManager create(Jdbi jdbi) {
        return builder(jdbi).build();
    }

    /**
     * A lock manager on the lease table and fencing sequence named by {@code tableNames}; see
     * {@link #create(Jdbi)}.
     *
     * @param jdbi the database; its connections must not be bound to the caller's transaction
     * @param tableNames where the lease table and the fencing sequence are, as given to {@link Schema}
     * @return a new lock manager
     * @throws NullPointerException if an argument is null
     */
    public static LockManager create(Jdbi jdbi, TableNames tableNames) {
        return builder(jdbi).tableNames(tableNames).build();
    }

    /**
     * @param jdbi the database; its connections must not be bound to the caller's transaction
     * @return a builder with the default table names, backoff and statement timeout
     * @throws NullPointerException if {@code jdbi} is null
     */
    public static Builder builder(Jdbi jdbi) {
        return new Builder(requireNonNull(jdbi, "jdbi"));
    }

    /**
     * Configures a {@link JdbcLocks} manager, on top of the {@link LockManagerBuilder} options. Each
     * option is validated when it is set, and may be set once. Not thread-safe; the manager it builds
     * is.
     */
    public static final class Builder extends LockManagerBuilder<Builder> {

        private final Jdbi jdbi;
        private TableNames tableNames;
        private final LockManagerSettings settings = new LockManagerSettings();
        private Dialect dialect;
        private Integer reapEvery;

        private Builder(Jdbi jdbi) {
            this.jdbi = jdbi;
        }

        /**
         * @param tableNames where the lease table and the fencing sequence are; those of
         *     {@link TableNames#defaults()} unless set
         * @return this builder
         * @throws NullPointerException if {@code tableNames} is null
         * @throws IllegalStateException if the table names are already set
         */
        public Builder tableNames(TableNames tableNames) {
            requireNonNull(tableNames, "tableNames");
            requireUnset(this.tableNames, "tableNames");
            this.tableNames = tableNames;
            return this;
        }

        /**
         * Sets the dialect instead of detecting it from the first connection used.
         *
         * @param dialect the database's dialect
         * @return this builder
         * @throws NullPointerException if {@code dialect} is null
         * @throws IllegalStateException if the dialect is already set
         */
        public Builder dialect(Dialect dialect) {
            requireNonNull(dialect, "dialect");
            requireUnset(this.dialect, "dialect");
            this.dialect = dialect;
            return this;
        }

        /**
         * Bounds every statement with a JDBC query timeout, in whole seconds (rounded up).
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

        /** For tests: how many acquisitions pass between reapings, and how many rows one deletes. */
        Builder reapEvery(int acquisitions) {
            Inputs.requirePositive(acquisitions, "acquisitions");
            requireUnset(this.reapEvery, "reapEvery");
            this.reapEvery = acquisitions;
            return this;
        }

        /**
         * Creates the backend. No connection is opened until the first lock is asked for; the
         * dialect, unless set, is detected then.
         */
        @Override
        protected LockBackend backend() {
            return new LeaseTable(
                    jdbi,
                    tableNames == null ? TableNames.defaults() : tableNames,
                    dialect,
                    settings.statementTimeoutSeconds(),
                    reapEvery == null ? DEFAULT_REAP_EVERY : reapEvery);
        }
    }
}
