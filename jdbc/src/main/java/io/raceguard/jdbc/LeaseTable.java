package io.raceguard.jdbc;

import io.raceguard.BackendException;
import io.raceguard.lock.spi.LockBackend;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicLong;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The store of {@link JdbcLocks}: one row per held key in the lease table, expiry on the database's
 * clock, fencing tokens from a sequence. Every operation is one statement in a short transaction of
 * its own ({@link StoreStatements}); see {@link LeaseStatements} for the SQL. The dialect is the one
 * given, or detected from the first connection used.
 *
 * <p>The statements run as plain JDBC prepared statements on the handle's connection, not through
 * Jdbi's statement API, whose per-statement work costs more than the statement itself (see
 * BENCHMARKS.md). Each statement carries a JDBC query timeout.
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
        Map<String, Object> values = Map.of("keyHash", KeyDigest.of(key), "lockKey", key, "owner", owner, "ttlMicros",
                micros(ttl));
        OptionalLong token;
        try {
            token = statements.run("taking a lock",
                    handle -> execute(handle, sql(handle).acquire(), values, statement -> {
                try (ResultSet row = statement.executeQuery()) {
                    if (!row.next()) {
                        return OptionalLong.empty();
                    }
                    long drawn = row.getLong(1);
                    return row.wasNull() ? OptionalLong.empty() : OptionalLong.of(drawn);
                }
            }));
        } catch (BackendException failure) {
            if (LostRace.OF_STORE_STATEMENT.test(failure)) {
                // another owner kept writing the row at the same moment; ours was rolled back each time
                return OptionalLong.empty();
            }
            throw failure;
        }
        if (token.isPresent() && acquisitions.incrementAndGet() % reapEvery == 0) {
            reapExpired();
        }
        return token;
    }

    @Override
    public boolean extend(String key, String owner, Duration ttl) {
        Map<String, Object> values = Map.of("keyHash", KeyDigest.of(key), "owner", owner, "ttlMicros", micros(ttl));
        return statements.run("extending a lock", handle -> execute(handle, sql(handle).extend(), values,
                PreparedStatement::executeUpdate)) == 1;
    }

    @Override
    public boolean release(String key, String owner) {
        Map<String, Object> values = Map.of("keyHash", KeyDigest.of(key), "owner", owner);
        return statements.run("releasing a lock",
                handle -> execute(handle, sql(handle).release(), values, statement -> {
            try (ResultSet row = statement.executeQuery()) {
                return row.next() && row.getBoolean(1);
            }
        }));
    }

    /** Deletes a batch of expired rows; a failure only delays the cleanup, so it is logged, not thrown. */
    private void reapExpired() {
        try {
            int reaped = statements.run("reaping expired locks", handle -> execute(handle, sql(handle).reap(),
                    Map.of("limit", reapEvery), PreparedStatement::executeUpdate));
            LOG.debug("Reaped {} expired lock rows", reaped);
        } catch (BackendException failure) {
            LOG.warn("Could not reap expired lock rows; the next reaping retries", failure);
        }
    }

    private <T> T execute(Handle handle, PositionalSql sql, Map<String, Object> values, PositionalSql.Work<T> work)
            throws SQLException {
        return sql.execute(handle.getConnection(), values, statementTimeoutSeconds, work);
    }

    private LeaseStatements sql(Handle handle) {
        return sql.get(givenDialect != null ? givenDialect : detectedDialect.of(handle));
    }

    /** Rounded up: the store keeps the lease at least {@code ttl}. */
    private static long micros(Duration ttl) {
        long nanos = ttl.toNanos();
        return nanos / 1000 + (nanos % 1000 == 0 ? 0 : 1);
    }
}
