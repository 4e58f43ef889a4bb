package io.raceguard.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The sign-up that is taken back: before each round it empties {@code users} and inserts one email in
 * a transaction it leaves open, so that the round's callers queue up behind the row, then, on a thread
 * of its own, rolls that transaction back once every caller waits on its lock (or after
 * {@value #QUEUE_PATIENCE_SECONDS} s, if the database never shows them all). Used from one hammer at a time.
 */
final class RolledBackInsert implements AutoCloseable {

    static final String EMAIL = "alice@example.com";
    private static final long QUEUE_PATIENCE_SECONDS = 5;

    private final TestDatabase database;
    private final int callers;
    private final AtomicInteger shortestQueue = new AtomicInteger(Integer.MAX_VALUE);
    private final AtomicReference<Exception> failure = new AtomicReference<>();
    private Thread rollback;

    /**
     * @param database where {@code users (id, email)} is
     * @param callers how many callers of each round will wait on the held row
     */
    RolledBackInsert(TestDatabase database, int callers) {
        this.database = database;
        this.callers = callers;
    }

    /** The reset hook of a round. */
    void holdTheEmail() throws Exception {
        awaitRollback();
        database.execute("DELETE FROM users");
        Connection holder = database.connect();
        holder.setAutoCommit(false);
        try (PreparedStatement insert = holder.prepareStatement("INSERT INTO users (email) VALUES (?)")) {
            insert.setString(1, EMAIL);
            insert.executeUpdate();
        }
        int holderSession = database.kind() == DatabaseKind.POSTGRESQL ? backendPid(holder) : 0;
        rollback = new Thread(() -> rollBackOnceAllWait(holder, holderSession), "rolled-back-insert");
        rollback.start();
    }

    /** @return the fewest callers seen waiting on the held row at its rollback, over all rounds */
    int shortestQueue() throws Exception {
        awaitRollback();
        return shortestQueue.get();
    }

    @Override
    public void close() throws Exception {
        awaitRollback();
    }

    private void rollBackOnceAllWait(Connection holder, int holderSession) {
        try (holder) {
            int queued = awaitWaiters(holderSession);
            holder.rollback();
            shortestQueue.accumulateAndGet(queued, Math::min);
        } catch (SQLException | InterruptedException e) {
            failure.compareAndSet(null, e);
        }
    }

    /** @param holderSession the holder's backend pid, on PostgreSQL, where the schema's database is shared */
    private int awaitWaiters(int holderSession) throws SQLException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(QUEUE_PATIENCE_SECONDS);
        try (Connection observer = database.connect();
                PreparedStatement waiting = observer.prepareStatement(waitingSessionsQuery())) {
            if (database.kind() == DatabaseKind.POSTGRESQL) {
                waiting.setInt(1, holderSession);
            }
            int queued = 0;
            while (queued < callers && System.nanoTime() < deadline) {
                TimeUnit.MILLISECONDS.sleep(2);
                try (ResultSet count = waiting.executeQuery()) {
                    count.next();
                    queued = count.getInt(1);
                }
            }
            return queued;
        }
    }

    private String waitingSessionsQuery() {
        return switch (database.kind()) {
            case POSTGRESQL -> "SELECT COUNT(*) FROM pg_stat_activity WHERE ? = ANY(pg_blocking_pids(pid))";
            // the other databases do not show every waiter: count the sessions running an insert, which
            // cannot finish while the row is held
            case MARIADB -> "SELECT COUNT(*) FROM information_schema.PROCESSLIST"
                    + " WHERE DB = DATABASE() AND ID <> CONNECTION_ID() AND INFO LIKE '%INSERT INTO%'";
            case H2 -> "SELECT COUNT(*) FROM INFORMATION_SCHEMA.SESSIONS WHERE SESSION_ID <> SESSION_ID()"
                    + " AND SESSION_STATE = 'RUNNING' AND EXECUTING_STATEMENT LIKE '%INSERT INTO%'";
        };
    }

    private static int backendPid(Connection holder) throws SQLException {
        try (PreparedStatement query = holder.prepareStatement("SELECT pg_backend_pid()");
                ResultSet pid = query.executeQuery()) {
            pid.next();
            return pid.getInt(1);
        }
    }

    private void awaitRollback() throws Exception {
        if (rollback != null) {
            rollback.join(TimeUnit.SECONDS.toMillis(2 * QUEUE_PATIENCE_SECONDS));
            if (rollback.isAlive()) {
                throw new AssertionError("the held insert was never rolled back");
            }
            rollback = null;
        }
        Exception failed = failure.getAndSet(null);
        if (failed != null) {
            throw failed;
        }
    }
}
