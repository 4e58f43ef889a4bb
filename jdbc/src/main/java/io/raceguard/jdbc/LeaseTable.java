package io.raceguard.jdbc;

import io.raceguard.BackendException;
import io.raceguard.lock.spi.LockBackend;
import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicLong;
import org.jdbi.v3.core.statement.SqlStatement;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The store of {@link JdbcLocks}: one row per held key in the lease table, expiry on the database's
 * clock, fencing tokens from a sequence. Every operation is one statement in a short transaction of
 * its own ({@link ShortTransactions}); see {@link LeaseStatements} for the SQL.
 *
 * <p>Rows are deleted on release and expired rows are taken over by the next acquisition of their
 * key. Rows of keys nobody takes again (a holder that died, a release that failed) are reaped: after
 * every {@code reapEvery} acquisitions, up to {@code reapEvery} expired rows are deleted. Each
 * acquisition adds at most one row, so leftovers can never outgrow what the reaping removes. The
 * reaping runs on the thread of every {@code reapEvery}-th acquisition, after it took its key.
 *
 * <p>Thread-safe.
 */
final class LeaseTable implements LockBackend {

    private static final Logger LOG = LoggerFactory.getLogger(LeaseTable.class);

    private final ShortTransactions transactions;
    private final LeaseStatements statements;
    private final int statementTimeoutSeconds;
    private final int reapEvery;
    private final AtomicLong acquisitions = new AtomicLong();

    LeaseTable(ShortTransactions transactions, LeaseStatements statements, int statementTimeoutSeconds, int reapEvery) {
        this.transactions = transactions;
        this.statements = statements;
        this.statementTimeoutSeconds = statementTimeoutSeconds;
        this.reapEvery = reapEvery;
    }

    @Override
    public OptionalLong tryAcquire(String key, String owner, Duration ttl) {
        byte[] keyHash = KeyHash.of(key);
        List<Long> tokens;
        try {
            tokens = transactions.run("take a lock", handle -> bounded(handle.createQuery(statements.acquire()))
                    .bind("keyHash", keyHash)
                    .bind("lockKey", key)
                    .bind("owner", owner)
                    .bind("ttlMicros", micros(ttl))
                    .mapTo(Long.class)
                    .list());
        } catch (BackendException failure) {
            if (lostToAConcurrentOwner(SqlFailure.classify(failure))) {
                return OptionalLong.empty();
            }
            throw failure;
        }
        if (tokens.isEmpty() || tokens.get(0) == null) {
            return OptionalLong.empty();
        }
        if (acquisitions.incrementAndGet() % reapEvery == 0) {
            reapExpired();
        }
        return OptionalLong.of(tokens.get(0));
    }

    /**
     * Another owner wrote the key's row at the same moment: H2 reports the second of two concurrent
     * inserts as a duplicate, and a serialization failure or deadlock that persisted through the
     * retries means steady contention on the row. The statement was rolled back, so nothing was taken.
     */
    private static boolean lostToAConcurrentOwner(SqlFailure failure) {
        return failure instanceof SqlFailure.UniqueViolation
                || failure instanceof SqlFailure.SerializationConflict
                || failure instanceof SqlFailure.Deadlock;
    }

    @Override
    public boolean extend(String key, String owner, Duration ttl) {
        byte[] keyHash = KeyHash.of(key);
        int updated = transactions.run("extend a lock", handle -> bounded(handle.createUpdate(statements.extend()))
                .bind("keyHash", keyHash)
                .bind("owner", owner)
                .bind("ttlMicros", micros(ttl))
                .execute());
        return updated == 1;
    }

    @Override
    public boolean release(String key, String owner) {
        byte[] keyHash = KeyHash.of(key);
        List<Boolean> live = transactions.run("release a lock", handle -> bounded(handle.createQuery(statements.release()))
                .bind("keyHash", keyHash)
                .bind("owner", owner)
                .mapTo(Boolean.class)
                .list());
        return !live.isEmpty() && Boolean.TRUE.equals(live.get(0));
    }

    /** Deletes a batch of expired rows; a failure only delays the cleanup, so it is logged, not thrown. */
    private void reapExpired() {
        try {
            int reaped = transactions.run("reap expired locks", handle -> bounded(handle.createUpdate(statements.reap()))
                    .bind("limit", reapEvery)
                    .execute());
            LOG.debug("Reaped {} expired lock rows", reaped);
        } catch (BackendException failure) {
            LOG.warn("Could not reap expired lock rows; the next reaping retries", failure);
        }
    }

    private <S extends SqlStatement<S>> S bounded(S statement) {
        return statement.setQueryTimeout(statementTimeoutSeconds);
    }

    /** Rounded up: the store keeps the lease at least {@code ttl}. */
    private static long micros(Duration ttl) {
        long nanos = ttl.toNanos();
        return nanos / 1000 + (nanos % 1000 == 0 ? 0 : 1);
    }
}
