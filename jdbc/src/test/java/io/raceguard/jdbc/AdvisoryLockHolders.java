package io.raceguard.jdbc;

import java.util.List;
import java.util.UUID;

/** Reads, on connections of its own, which PostgreSQL sessions hold an advisory lock of the default namespace. */
final class AdvisoryLockHolders {

    private static final PostgresAdvisoryLocks IDS = PostgresAdvisoryLocks.create();

    private static final String HOLDERS = "FROM pg_locks WHERE locktype = 'advisory' AND granted AND objsubid = 1"
            + " AND database = (SELECT oid FROM pg_database WHERE datname = current_database())"
            + " AND CAST(classid AS BIGINT) = :high AND CAST(objid AS BIGINT) = :low";

    private final TestDatabase database;

    AdvisoryLockHolders(TestDatabase database) {
        this.database = database;
    }

    static String newKey() {
        return "advisory:" + UUID.randomUUID();
    }

    /** Ends every session that holds {@code key}. */
    int terminate(String key) {
        long lockId = IDS.lockId(key);
        return database.jdbi().withHandle(handle -> handle.createQuery("SELECT pg_terminate_backend(pid) " + HOLDERS)
                .bind("high", lockId >>> 32).bind("low", lockId & 0xFFFF_FFFFL).mapTo(Boolean.class).list().size());
    }

    long count(String key) {
        long lockId = IDS.lockId(key);
        return database.jdbi().withHandle(handle -> handle.createQuery("SELECT COUNT(*) " + HOLDERS)
                .bind("high", lockId >>> 32).bind("low", lockId & 0xFFFF_FFFFL).mapTo(Long.class).one());
    }

    List<Integer> pids(String key) {
        long lockId = IDS.lockId(key);
        return database.jdbi().withHandle(handle -> handle.createQuery("SELECT pid " + HOLDERS)
                .bind("high", lockId >>> 32).bind("low", lockId & 0xFFFF_FFFFL).mapTo(Integer.class).list());
    }

    boolean backendExists(int pid) {
        return database.jdbi().withHandle(handle -> handle
                .createQuery("SELECT COUNT(*) FROM pg_stat_activity WHERE pid = :pid")
                .bind("pid", pid).mapTo(Long.class).one()) > 0;
    }
}
