package io.raceguard.jdbc;

import static java.util.Objects.requireNonNull;

import io.raceguard.idempotency.IdempotencyKey;
import io.raceguard.idempotency.spi.IdempotencyRecord.Status;
import io.raceguard.idempotency.spi.IdempotencyRecord;
import io.raceguard.internal.Inputs;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.SqlStatement;
import org.jdbi.v3.core.statement.SqlStatements;

/**
 * The four idempotency transitions and the reaper, each run on a given handle, in whatever
 * transaction it has: {@link JdbcIdempotencyStore} gives them a connection of their own, the store of
 * {@link JdbcIdempotencyStore#inTransactionOf} the caller's. The claim runs as a plain JDBC prepared
 * statement on the handle's connection ({@link PositionalSql}), the others through Jdbi. Arguments
 * are checked before any I/O.
 * Immutable and thread-safe (a {@link Handle} is not).
 */
final class IdempotencyOperations {

    /** The widest owner token and fingerprint the table holds. */
    static final int MAX_OWNER_LENGTH = 64;
    static final int MAX_FINGERPRINT_BYTES = 64;

    /** A claim that finds nothing to claim and nothing live, racing with a release, is run again. */
    private static final int MAX_CLAIM_STATEMENTS = 10;

    private final DetectedDialect dialect = new DetectedDialect();
    private final Map<Dialect, IdempotencyStatements> sql = new EnumMap<>(Dialect.class);

    IdempotencyOperations(TableNames names) {
        for (Dialect each : Dialect.values()) {
            sql.put(each, IdempotencyStatements.of(each, names.idempotencyTable()));
        }
    }

    /** The row a claim statement returns: whether it claimed, else the live record it found, if any. */
    private record ClaimRow(boolean claimed, IdempotencyRecord found) {}

    Optional<IdempotencyRecord> claim(Handle handle, IdempotencyKey key, byte[] fingerprint, String owner,
            Duration lease, Duration retention) throws SQLException {
        Dialect database = dialect.of(handle);
        IdempotencyStatements statements = sql.get(database);
        Map<String, Object> values = Map.of("hash", hash(key), "scope", key.scope(), "key", key.key(), "owner", owner,
                "fingerprint", fingerprint, "leaseMicros", micros(lease), "retentionMicros", micros(retention));
        Connection connection = handle.getConnection();
        int queryTimeout = queryTimeoutSeconds(handle);
        for (int attempt = 1; attempt <= MAX_CLAIM_STATEMENTS; attempt++) {
            ClaimRow row = database == Dialect.H2
                    ? claimOnH2(connection, statements, values, queryTimeout)
                    : statements.claim().execute(connection, values, queryTimeout, IdempotencyOperations::claimRow);
            if (row.claimed()) {
                return Optional.empty();
            }
            if (row.found() != null) {
                return Optional.of(row.found());
            }
            // The record that refused us is gone (released) or not yet visible to this statement: claim again.
        }
        throw new IllegalStateException("an idempotency claim neither claimed nor found a record "
                + MAX_CLAIM_STATEMENTS + " times in a row");
    }

    /**
     * The claim runs on the plain connection, not through Jdbi, so it takes the query timeout the
     * caller configured on the {@code Jdbi} ({@link SqlStatements#setQueryTimeout}) itself: none
     * unless set, as for any Jdbi statement, and then the database's own lock timeouts apply.
     */
    private static int queryTimeoutSeconds(Handle handle) {
        Integer configured = handle.getConfig(SqlStatements.class).getQueryTimeout();
        return configured == null ? 0 : configured;
    }

    private static ClaimRow claimRow(PreparedStatement claim) throws SQLException {
        try (ResultSet result = claim.executeQuery()) {
            if (!result.next()) {
                throw new IllegalStateException("an idempotency claim returned no row");
            }
            return new ClaimRow(result.getLong("claimed") > 0, result.getString("status") == null ? null
                    : record(result));
        }
    }

    /**
     * H2 has no upsert that returns the row it kept, and a {@code MERGE} racing another's insert fails
     * with a duplicate key: H2 rolls back that statement only (the transaction goes on), and the claim
     * is made again.
     */
    private static ClaimRow claimOnH2(Connection connection, IdempotencyStatements statements,
            Map<String, Object> values, int queryTimeout) throws SQLException {
        try {
            if (statements.claim().execute(connection, values, queryTimeout, IdempotencyOperations::returnsARow)) {
                return new ClaimRow(true, null);
            }
        } catch (SQLException failure) {
            if (!(SqlFailure.classify(failure) instanceof SqlFailure.UniqueViolation)) {
                throw failure;
            }
            return new ClaimRow(false, null);
        }
        return new ClaimRow(false, statements.findLive().execute(connection, values, queryTimeout, findLive -> {
            try (ResultSet result = findLive.executeQuery()) {
                return result.next() ? record(result) : null;
            }
        }));
    }

    private static boolean returnsARow(PreparedStatement statement) throws SQLException {
        try (ResultSet result = statement.executeQuery()) {
            return result.next();
        }
    }

    boolean complete(Handle handle, IdempotencyKey key, String owner, byte[] response, Duration retention) {
        return byHash(handle.createUpdate(sql.get(dialect.of(handle)).complete()), hash(key))
                .bind("owner", owner)
                .bind("response", response)
                .bind("retentionMicros", micros(retention))
                .execute() > 0;
    }

    boolean release(Handle handle, IdempotencyKey key, String owner) {
        return byHash(handle.createUpdate(sql.get(dialect.of(handle)).release()), hash(key))
                .bind("owner", owner)
                .execute() > 0;
    }

    boolean takeOver(Handle handle, IdempotencyKey key, String expectedOwner, String newOwner, Duration lease) {
        return byHash(handle.createUpdate(sql.get(dialect.of(handle)).takeOver()), hash(key))
                .bind("expectedOwner", expectedOwner)
                .bind("owner", newOwner)
                .bind("leaseMicros", micros(lease))
                .execute() > 0;
    }

    /** Deletes one batch of expired records, skipping rows other transactions hold; needs its own handle. */
    int reapExpired(Handle handle, int batchSize) {
        Dialect database = dialect.of(handle);
        IdempotencyStatements statements = sql.get(database);
        if (database == Dialect.POSTGRESQL) {
            return handle.createUpdate(statements.reap()).bind("batch", batchSize).execute();
        }
        return handle.inTransaction(transaction -> {
            List<byte[]> hashes = transaction.createQuery(statements.reap())
                    .bind("batch", batchSize)
                    .mapTo(byte[].class)
                    .list();
            return hashes.isEmpty()
                    ? 0
                    : transaction.createUpdate(statements.reapListed()).bindList("hashes", hashes).execute();
        });
    }

    static void checkClaim(IdempotencyKey key, byte[] fingerprint, String owner, Duration lease, Duration retention) {
        requireNonNull(key, "key");
        checkFingerprint(fingerprint);
        checkOwner(owner, "owner");
        Inputs.requirePositive(lease, "lease");
        Inputs.requirePositive(retention, "retention");
    }

    static void checkComplete(IdempotencyKey key, String owner, byte[] response, Duration retention) {
        requireNonNull(key, "key");
        checkOwner(owner, "owner");
        requireNonNull(response, "response");
        Inputs.requirePositive(retention, "retention");
    }

    static void checkTakeOver(IdempotencyKey key, String expectedOwner, String newOwner, Duration lease) {
        requireNonNull(key, "key");
        checkOwner(expectedOwner, "expectedOwner");
        checkOwner(newOwner, "newOwner");
        Inputs.requirePositive(lease, "lease");
    }

    static void checkRelease(IdempotencyKey key, String owner) {
        requireNonNull(key, "key");
        checkOwner(owner, "owner");
    }

    static void checkOwner(String owner, String name) {
        requireNonNull(owner, name);
        if (owner.isEmpty() || owner.length() > MAX_OWNER_LENGTH) {
            throw new IllegalArgumentException(
                    name + " must be 1 to " + MAX_OWNER_LENGTH + " characters, was " + owner.length());
        }
    }

    private static void checkFingerprint(byte[] fingerprint) {
        requireNonNull(fingerprint, "fingerprint");
        if (fingerprint.length > MAX_FINGERPRINT_BYTES) {
            throw new IllegalArgumentException(
                    "fingerprint must be at most " + MAX_FINGERPRINT_BYTES + " bytes, was " + fingerprint.length);
        }
    }

    private static IdempotencyRecord record(ResultSet row) throws SQLException {
        Status status = Status.valueOf(row.getString("status"));
        // A statement reads "now" at its start, which may precede the claim it then finds (it waited on
        // that claim's lock): the lease left is then capped at the lease's length.
        long leftMicros = Math.min(row.getLong("lease_left_micros"), row.getLong("lease_micros"));
        Duration leaseRemaining = status == Status.IN_PROGRESS && leftMicros > 0
                ? Duration.of(leftMicros, ChronoUnit.MICROS)
                : Duration.ZERO;
        return new IdempotencyRecord(
                status, row.getString("owner"), row.getBytes("fingerprint"), row.getBytes("response"), leaseRemaining);
    }

    private static byte[] hash(IdempotencyKey key) {
        return KeyDigest.of(key.scope(), key.key());
    }

    private static long micros(Duration duration) {
        return duration.toNanos() / 1_000;
    }

    private static <S extends SqlStatement<S>> S byHash(S statement, byte[] hash) {
        return statement.bind("hash", hash);
    }
}
