package io.raceguard.jdbc;

import io.raceguard.BackendException;
import io.raceguard.lock.spi.LockBackend;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicLong;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.SqlStatement;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The store of {@link JdbcLocks}: one row per held key in the lease table, expiry on the database's
 * clock, fencing tokens from a sequence. Every operation is one statement in a short transaction of
 * its own ({@link StoreStatements}); see {@link LeaseStatements} for the SQL. The dialect is the one
 * given, or detected from the first connection used.
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

    private final StoreStatements statements;
    private final Map<Dialect, LeaseStatements> sql = new EnumMap<>(Dialect.class);
    private final Dialect givenDialect;
    private final DetectedDialect detectedDialect = new DetectedDialect();
    private final int statementTimeoutSeconds;
    private final int reapEvery;
    private final AtomicLong acquisitions = new AtomicLong();

    /**
     * @param givenDialect the database's dialect, or {@code null} to detect it
     */
    LeaseTable(Jdbi jdbi, TableNames names, Dialect givenDialect, int statementTimeoutSeconds, int reapEvery) {
        this.statements = new StoreStatements(jdbi);
        for (Dialect dialect : Dialect.values()) {
            sql.put(dialect, LeaseStatements.of(dialect, names));
        }
        this.givenDialect = givenDialect;
        this.statementTimeoutSeconds = statementTimeoutSeconds;
        this.reapEvery = reapEvery;
    }

    @Override
    public OptionalLong tryAcquire(String key, String owner, Duration ttl) {
        byte[] keyHash = KeyDigest.of(key);
        List<Long> tokens;
        try {
            tokens = statements.run("taking a lock", handle -> bounded(handle.createQuery(sql(handle).acquire()))
                    .bind("keyHash", keyHash)
                    .bind("lockKey", key)
                    .bind("owner", owner)
                    .bind("ttlMicros", micros(ttl))
                    .mapTo(Long.class)
                    .list());
        } catch (BackendException failure) {
            if (StoreStatements.isLostRace(failure)) {
                // another owner kept writing the row at the same moment; ours was rolled back each time
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

    @Override
    public boolean extend(String key, String owner, Duration ttl) {
        byte[] keyHash = KeyDigest.of(key);
        int updated = statements.run("extending a lock", handle -> bounded(handle.createUpdate(sql(handle).extend()))
                .bind("keyHash", keyHash)
                .bind("owner", owner)
                .bind("ttlMicros", micros(ttl))
                .execute());
        return updated == 1;
    }

    @Override
    public boolean release(String key, String owner) {
        byte[] keyHash = KeyDigest.of(key);
        List<Boolean> live = statements.run("releasing a lock", handle -> bounded(handle.createQuery(sql(handle).release()))
                .bind("keyHash", keyHash)
                .bind("owner", owner)
                .mapTo(Boolean.class)
                .list());
        return !live.isEmpty() && Boolean.TRUE.equals(live.get(0));
    }

    /** Deletes a batch of expired rows; a failure only delays the cleanup, so it is logged, not thrown. */
    private void reapExpired() {
        try {
            int reaped = statements.run("reaping expired locks", handle -> bounded(handle.createUpdate(sql(handle).reap()))
                    .bind("limit", reapEvery)
                    .execute());
            LOG.debug("Reaped {} expired lock rows", reaped);
        } catch (BackendException failure) {
            LOG.warn("Could not reap expired lock rows; the next reaping retries", failure);
        }
    }

    private LeaseStatements sql(Handle handle) {
        return sql.get(givenDialect != null ? givenDialect : detectedDialect.of(handle));
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
