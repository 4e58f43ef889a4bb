package io.raceguard.jdbc;

/**
 * The SQL of {@link JdbcCounters} for one dialect and table, assembled once from the validated table
 * name. Parameters: {@code hash} (the key's SHA-256), {@code key}, {@code amount}, {@code room}
 * ({@code ceiling - amount}, never negative) and {@code level}.
 *
 * @param take subtract if the level suffices; see {@link JdbcCounters} for what each dialect returns
 * @param takeFallback MariaDB only: whether the counter exists, after {@code take} applied nothing
 * @param add add if the level stays within the ceiling, creating the counter at {@code amount}
 * @param set upsert the level
 * @param get read the level
 * @param delete delete the counter
 */
record CounterStatements(String take, String takeFallback, String add, String set, String get, String delete) {

    static CounterStatements of(Dialect dialect, SqlIdentifier table) {
        String name = table.quoted(dialect);
        String byKey = " WHERE key_hash = :hash";
        String get = "SELECT level FROM " + name + byKey;
        String delete = "DELETE FROM " + name + byKey;
        return switch (dialect) {
            case POSTGRESQL -> new CounterStatements(
                    "WITH taken AS (UPDATE " + name + " SET level = level - :amount" + byKey
                            + " AND level >= :amount RETURNING level)"
                            + " SELECT (SELECT level FROM taken) AS level,"
                            + " EXISTS (SELECT 1 FROM " + name + byKey + ") AS found",
                    null,
                    "INSERT INTO " + name + " AS c (key_hash, counter_key, level) VALUES (:hash, :key, :amount)"
                            + " ON CONFLICT (key_hash) DO UPDATE SET level = c.level + :amount"
                            + " WHERE c.level <= :room RETURNING level",
                    "INSERT INTO " + name + " AS c (key_hash, counter_key, level) VALUES (:hash, :key, :level)"
                            + " ON CONFLICT (key_hash) DO UPDATE SET level = EXCLUDED.level",
                    get,
                    delete);
            case MARIADB -> new CounterStatements(
                    // The new level travels back in the reply's last-insert-id, shifted by one so that
                    // a level of zero is not mistaken for "no id".
                    "UPDATE " + name + " SET level = LAST_INSERT_ID(level - :amount + 1) - 1" + byKey
                            + " AND level >= :amount",
                    "SELECT 1 FROM " + name + byKey,
                    // LAST_INSERT_ID() carries the decision: the new level if it applied, 0 if refused.
                    "INSERT INTO " + name
                            + " (key_hash, counter_key, level) VALUES (:hash, :key, LAST_INSERT_ID(:amount))"
                            + " ON DUPLICATE KEY UPDATE level = IF(level <= :room,"
                            + " LAST_INSERT_ID(level + :amount), level + LAST_INSERT_ID(0))"
                            + " RETURNING LAST_INSERT_ID() AS level",
                    "INSERT INTO " + name + " (key_hash, counter_key, level) VALUES (:hash, :key, :level)"
                            + " ON DUPLICATE KEY UPDATE level = VALUE(level)",
                    get,
                    delete);
            case H2 -> new CounterStatements(
                    // OLD TABLE returns the level the row had before, under the row lock the update took.
                    "SELECT level FROM OLD TABLE (UPDATE " + name
                            + " SET level = CASE WHEN level >= :amount THEN level - :amount ELSE level END" + byKey
                                    + ")",
                    null,
                    "SELECT level FROM OLD TABLE (MERGE INTO " + name + " c"
                            + " USING (VALUES (CAST(:hash AS BINARY(32)), CAST(:key AS VARCHAR(8192)))) s (key_hash,"
                            + " counter_key)"
                            + " ON c.key_hash = s.key_hash"
                            + " WHEN MATCHED THEN UPDATE SET level = CASE WHEN c.level <= :room"
                            + " THEN c.level + :amount ELSE c.level END"
                            + " WHEN NOT MATCHED THEN INSERT (key_hash, counter_key, level)"
                            + " VALUES (s.key_hash, s.counter_key, :amount))",
                    "MERGE INTO " + name + " c"
                            + " USING (VALUES (CAST(:hash AS BINARY(32)), CAST(:key AS VARCHAR(8192)))) s (key_hash,"
                            + " counter_key)"
                            + " ON c.key_hash = s.key_hash"
                            + " WHEN MATCHED THEN UPDATE SET level = :level"
                            + " WHEN NOT MATCHED THEN INSERT (key_hash, counter_key, level)"
                            + " VALUES (s.key_hash, s.counter_key, :level)",
                    get,
                    delete);
        };
    }
}
