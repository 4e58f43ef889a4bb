package io.raceguard.jdbc;

/**
 * The SQL of {@link JdbcIdempotencyStore} for one dialect and table, assembled once from the validated
 * table name. Every time is the database's ({@link DatabaseTime}); durations are bound in
 * microseconds. Parameters: {@code hash}, {@code scope}, {@code key}, {@code owner},
 * {@code fingerprint}, {@code response}, {@code leaseMicros}, {@code retentionMicros},
 * {@code expectedOwner}, {@code batch}. The claim, the replay's hot path, and H2's read after it are
 * held in JDBC's positional form ({@link PositionalSql}), parsed once; the others run through Jdbi.
 *
 * @param claim inserts an in-progress record, or replaces one past its retention; see
 *     {@link JdbcIdempotencyStore} for what each dialect returns
 * @param findLive H2 only: the live record, after a claim that did not claim
 * @param complete the owner's in-progress record becomes completed
 * @param release the owner's in-progress record is deleted
 * @param takeOver an expired lease passes from the expected owner to a new one
 * @param reap PostgreSQL: deletes a batch of expired records; elsewhere: locks and lists one
 * @param reapListed MariaDB and H2: deletes the listed records that are still expired
 */
record IdempotencyStatements(PositionalSql claim, PositionalSql findLive, String complete, String release,
        String takeOver, String reap, String reapListed) {

    static final String IN_PROGRESS = "'IN_PROGRESS'";
    static final String COMPLETED = "'COMPLETED'";

    static IdempotencyStatements of(Dialect dialect, SqlIdentifier table) {
        String name = table.quoted(dialect);
        String now = DatabaseTime.now(dialect);
        String leaseEnd = DatabaseTime.nowPlusMicros(dialect, "leaseMicros");
        String retentionEnd = DatabaseTime.nowPlusMicros(dialect, "retentionMicros");
        String live = "expires_at > " + now;
        String ownersInProgress = " WHERE key_hash = :hash AND owner = :owner AND status = " + IN_PROGRESS + " AND "
                + live;
        String record = "status, owner, fingerprint, response, lease_micros, "
                + DatabaseTime.microsUntil(dialect, "lease_expires_at") + " AS lease_left_micros";
        String expired = "expires_at <= " + now + " AND NOT (status = " + IN_PROGRESS + " AND lease_expires_at > " + now
                + ")";
        String complete = "UPDATE " + name + " SET status = " + COMPLETED + ", response = :response, expires_at = "
                + retentionEnd + ownersInProgress;
        String release = "DELETE FROM " + name + ownersInProgress;
        String takeOver = "UPDATE " + name + " SET owner = :owner, lease_micros = :leaseMicros, lease_expires_at = "
                + leaseEnd
                + ", expires_at = GREATEST(expires_at, " + leaseEnd + ")"
                + " WHERE key_hash = :hash AND owner = :expectedOwner AND status = " + IN_PROGRESS
                + " AND lease_expires_at <= " + now + " AND " + live;
        String lockExpired = "SELECT key_hash FROM " + name + " WHERE " + expired
                + " ORDER BY expires_at LIMIT :batch FOR UPDATE SKIP LOCKED";
        String reapListed = "DELETE FROM " + name + " WHERE key_hash IN (<hashes>) AND " + expired;
        String columns =
                "(key_hash, scope, idem_key, status, owner, fingerprint, response, lease_micros, lease_expires_at,"
                        + " expires_at)";
        return switch (dialect) {
            case POSTGRESQL -> new IdempotencyStatements(PositionalSql.parse(
                    "WITH claimed AS (INSERT INTO " + name + " AS r " + columns
                            + " VALUES (:hash, :scope, :key, " + IN_PROGRESS
                                    + ", :owner, :fingerprint, NULL, :leaseMicros, "
                            + leaseEnd + ", " + retentionEnd + ")"
                            + " ON CONFLICT (key_hash) DO UPDATE SET scope = EXCLUDED.scope, idem_key ="
                            + " EXCLUDED.idem_key,"
                            + " status = EXCLUDED.status, owner = EXCLUDED.owner, fingerprint = EXCLUDED.fingerprint,"
                            + " response = NULL, lease_micros = EXCLUDED.lease_micros,"
                            + " lease_expires_at = EXCLUDED.lease_expires_at,"
                            + " expires_at = EXCLUDED.expires_at"
                            + " WHERE r.expires_at <= " + now + " RETURNING 1)"
                            + " SELECT (SELECT COUNT(*) FROM claimed) AS claimed, " + record
                            + " FROM (SELECT 1) AS one LEFT JOIN " + name + " r ON r.key_hash = :hash AND r." + live),
                    null, complete, release, takeOver,
                    "DELETE FROM " + name + " WHERE key_hash IN (" + lockExpired + ") AND " + expired,
                    null);
            case MARIADB -> new IdempotencyStatements(PositionalSql.parse(
                    // LAST_INSERT_ID() says whether we claimed: set to 1 by the insert, then by the first
                    // assignment to whether the existing record is past its retention; every other
                    // assignment follows it, and RETURNING reports it.
                    "INSERT INTO " + name + " " + columns
                            + " VALUES (:hash, :scope, :key, " + IN_PROGRESS
                                    + ", :owner, :fingerprint, NULL, :leaseMicros, "
                            + "UTC_TIMESTAMP(6) + INTERVAL (:leaseMicros * LAST_INSERT_ID(1)) MICROSECOND, "
                                    + retentionEnd + ")"
                            + " ON DUPLICATE KEY UPDATE status = IF(LAST_INSERT_ID(expires_at <= " + now
                                    + "), VALUE(status), status),"
                            + followClaim("scope") + followClaim("idem_key") + followClaim("owner")
                            + followClaim("fingerprint")
                            + " response = IF(LAST_INSERT_ID(), NULL, response),"
                            + followClaim("lease_micros") + followClaim("lease_expires_at")
                            + " expires_at = IF(LAST_INSERT_ID(), VALUE(expires_at), expires_at)"
                            + " RETURNING LAST_INSERT_ID() AS claimed, " + record),
                    null, complete, release, takeOver, lockExpired, reapListed);
            case H2 -> new IdempotencyStatements(PositionalSql.parse(
                    "SELECT 1 FROM FINAL TABLE (MERGE INTO " + name + " r"
                            + " USING (VALUES (CAST(:hash AS BINARY(32)))) s (key_hash) ON r.key_hash = s.key_hash"
                            + " WHEN MATCHED AND r.expires_at <= " + now
                                    + " THEN UPDATE SET scope = :scope, idem_key = :key,"
                            + " status = " + IN_PROGRESS
                                    + ", owner = :owner, fingerprint = :fingerprint, response = NULL,"
                            + " lease_micros = :leaseMicros, lease_expires_at = " + leaseEnd + ", expires_at = "
                                    + retentionEnd
                            + " WHEN NOT MATCHED THEN INSERT " + columns
                            + " VALUES (s.key_hash, :scope, :key, " + IN_PROGRESS
                                    + ", :owner, :fingerprint, NULL, :leaseMicros, "
                            + leaseEnd + ", " + retentionEnd + "))"),
                    PositionalSql.parse("SELECT " + record + " FROM " + name + " WHERE key_hash = :hash AND " + live),
                    complete, release, takeOver, lockExpired, reapListed);
        };
    }

    private static String followClaim(String column) {
        return " " + column + " = IF(LAST_INSERT_ID(), VALUE(" + column + "), " + column + "),";
    }
}
