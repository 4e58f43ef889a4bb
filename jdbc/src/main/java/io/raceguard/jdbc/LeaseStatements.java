package io.raceguard.jdbc;

/**
 * The SQL of {@link LeaseTable}, one statement per operation and dialect, on the table
 * {@code (key_hash, lock_key, owner, expires_at)} and the fencing sequence. Every time is the
 * database's, constant within one statement ({@link DatabaseTime}). Written with named parameters
 * ({@code :keyHash}, {@code :lockKey}, {@code :owner}, {@code :ttlMicros}, {@code :limit}) and held in
 * JDBC's positional form ({@link PositionalSql}), parsed once.
 *
 * <p>{@link #acquire} returns one row holding the new fencing token when this owner took the key,
 * and no row or a NULL when the key is held. The token is drawn from the sequence only after the
 * statement has written the row, while it holds the row's lock. A token drawn before, in the
 * {@code VALUES}, could be overtaken: while this statement stalls between drawing and inserting,
 * another owner inserts the key with a later token and releases it (deleting the row), and this
 * statement then inserts with a token lower than one already handed out for the key. That is also
 * why the table stores no token: the statement cannot write a value it draws after writing the row.
 *
 * @param acquire insert, or take over an expired row, and mint the token
 * @param extend move the expiry of the owner's live row; one updated row means extended
 * @param release delete the owner's row; returns whether it was still live
 * @param reap delete up to {@code :limit} expired rows
 */
record LeaseStatements(PositionalSql acquire, PositionalSql extend, PositionalSql release, PositionalSql reap) {

    static LeaseStatements of(Dialect dialect, TableNames names) {
        String locks = names.locksTable().quoted(dialect);
        String fences = names.lockFenceSequence().quoted(dialect);
        return switch (dialect) {
            case POSTGRESQL -> postgresql(locks, fences);
            case MARIADB -> mariadb(locks, fences);
            case H2 -> h2(locks, fences);
        };
    }

    /**
     * {@code ON CONFLICT DO UPDATE ... WHERE} locks the conflicting row and re-checks the expiry on
     * its latest version; when the condition fails nothing is returned, so {@code nextval} in
     * {@code RETURNING} runs only for a won key.
     */
    private static LeaseStatements postgresql(String locks, String fences) {
        String now = DatabaseTime.now(Dialect.POSTGRESQL);
        String expiry = DatabaseTime.nowPlusMicros(Dialect.POSTGRESQL, "ttlMicros");
        return parsed(
                "INSERT INTO " + locks + " AS held (key_hash, lock_key, owner, expires_at)"
                        + " VALUES (:keyHash, :lockKey, :owner, " + expiry + ")"
                        + " ON CONFLICT (key_hash) DO UPDATE"
                        + " SET lock_key = EXCLUDED.lock_key, owner = EXCLUDED.owner, expires_at = EXCLUDED.expires_at"
                        + " WHERE held.expires_at <= " + now
                        + " RETURNING nextval('" + fences + "')",
                extend(locks, Dialect.POSTGRESQL),
                "DELETE FROM " + locks + " WHERE key_hash = :keyHash AND owner = :owner"
                        + " RETURNING expires_at > " + now,
                "DELETE FROM " + locks + " WHERE key_hash IN (SELECT key_hash FROM " + locks
                        + " WHERE expires_at <= " + now + " LIMIT :limit FOR UPDATE SKIP LOCKED)"
                        + " AND expires_at <= " + now);
    }

    /**
     * {@code ON DUPLICATE KEY UPDATE} assigns left to right, and each assignment sees the columns
     * the earlier ones wrote, so every condition reads {@code expires_at} before the last assignment
     * replaces it. {@code RETURNING} (MariaDB 10.5+) returns the row after the statement whether it
     * changed or not; the owner in it tells whether this statement took the key, and only then is
     * the sequence advanced. MySQL has neither sequences nor {@code RETURNING}.
     */
    private static LeaseStatements mariadb(String locks, String fences) {
        String now = DatabaseTime.now(Dialect.MARIADB);
        String expired = "expires_at <= " + now;
        return parsed(
                "INSERT INTO " + locks + " (key_hash, lock_key, owner, expires_at)"
                        + " VALUES (:keyHash, :lockKey, :owner, "
                                + DatabaseTime.nowPlusMicros(Dialect.MARIADB, "ttlMicros") + ")"
                        + " ON DUPLICATE KEY UPDATE"
                        + " lock_key = IF(" + expired + ", VALUE(lock_key), lock_key),"
                        + " owner = IF(" + expired + ", VALUE(owner), owner),"
                        + " expires_at = IF(" + expired + ", VALUE(expires_at), expires_at)"
                        + " RETURNING IF(owner = :owner, NEXTVAL(" + fences + "), NULL)",
                extend(locks, Dialect.MARIADB),
                "DELETE FROM " + locks + " WHERE key_hash = :keyHash AND owner = :owner"
                        + " RETURNING expires_at > " + now,
                "DELETE FROM " + locks + " WHERE " + expired + " LIMIT :limit");
    }

    /**
     * {@code MERGE ... USING} inside a data change delta table: the outer query sees only the row
     * the merge wrote, and draws the token after the merge. Two sessions inserting the same new key
     * at once make one of them fail with a duplicate key (23505), which means busy.
     */
    private static LeaseStatements h2(String locks, String fences) {
        String now = DatabaseTime.now(Dialect.H2);
        return parsed(
                "SELECT NEXT VALUE FOR " + fences + " FROM FINAL TABLE (MERGE INTO " + locks + " AS held"
                        + " USING (VALUES (CAST(:keyHash AS BINARY VARYING), CAST(:lockKey AS CHARACTER VARYING),"
                        + " CAST(:owner AS CHARACTER VARYING), " + DatabaseTime.nowPlusMicros(Dialect.H2, "ttlMicros")
                                + "))"
                        + " AS wanted (key_hash, lock_key, owner, expires_at)"
                        + " ON held.key_hash = wanted.key_hash"
                        + " WHEN MATCHED AND held.expires_at <= " + now + " THEN UPDATE"
                        + " SET lock_key = wanted.lock_key, owner = wanted.owner, expires_at = wanted.expires_at"
                        + " WHEN NOT MATCHED THEN INSERT (key_hash, lock_key, owner, expires_at)"
                        + " VALUES (wanted.key_hash, wanted.lock_key, wanted.owner, wanted.expires_at))",
                extend(locks, Dialect.H2),
                "SELECT expires_at > " + now + " FROM OLD TABLE (DELETE FROM " + locks
                        + " WHERE key_hash = :keyHash AND owner = :owner)",
                "DELETE FROM " + locks + " WHERE expires_at <= " + now + " FETCH FIRST :limit ROWS ONLY");
    }

    private static LeaseStatements parsed(String acquire, String extend, String release, String reap) {
        return new LeaseStatements(PositionalSql.parse(acquire), PositionalSql.parse(extend),
                PositionalSql.parse(release),
                PositionalSql.parse(reap));
    }

    private static String extend(String locks, Dialect dialect) {
        return "UPDATE " + locks + " SET expires_at = " + DatabaseTime.nowPlusMicros(dialect, "ttlMicros")
                + " WHERE key_hash = :keyHash AND owner = :owner AND expires_at > " + DatabaseTime.now(dialect);
    }
}
