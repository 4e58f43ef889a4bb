package io.raceguard.jdbc;

import io.raceguard.BackendException;
import io.raceguard.lock.spi.LockBackend;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToLongFunction;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The store of {@link PostgresSessionLocks}: each lease is a session-level advisory
 * lock held by a connection of its own, pinned to the lease until it is released.
 *
 * <ul>
 *   <li><b>Acquire</b>: opens a connection and runs {@code SELECT CASE WHEN pg_try_advisory_lock(id)
 *       THEN txid_current() END}; a NULL closes the connection again. The fencing token is the
 *       transaction id, assigned after the lock was granted from the server's one global counter.
 *   <li><b>Extend</b> is a keepalive: the session still lives exactly when the connection answers,
 *       and while it lives the lock cannot go away. A dead connection is closed and reported as a
 *       refused extension, which makes the engine mark the lease lost.
 *   <li><b>Release</b>: {@code pg_advisory_unlock(id)}, whose result is checked, then the connection
 *       is closed. An unlock that fails or answers false (the session did not hold the lock: a
 *       transaction-pooling proxy moved us to another server connection) aborts the physical
 *       connection, because a session that still held the lock must end for the lock to go.
 * </ul>
 *
 * <p>Thread-safe: each pinned connection is used by one thread at a time.
 */
final class PinnedSessions implements LockBackend {

    private static final Logger LOG = LoggerFactory.getLogger(PinnedSessions.class);

    private final DataSource dataSource;
    private final ToLongFunction<String> lockIds;
    private final int statementTimeoutSeconds;
    private final Map<String, PinnedSession> byOwner = new ConcurrentHashMap<>();

    PinnedSessions(DataSource dataSource, ToLongFunction<String> lockIds, int statementTimeoutSeconds) {
        this.dataSource = dataSource;
        this.lockIds = lockIds;
        this.statementTimeoutSeconds = statementTimeoutSeconds;
    }

    @Override
    public OptionalLong tryAcquire(String key, String owner, Duration ttl) {
        long lockId = lockIds.applyAsLong(key);
        Connection connection = open();
        try {
            OptionalLong token = tryLock(connection, lockId);
            if (token.isEmpty()) {
                connection.close();
                return token;
            }
            byOwner.put(owner, new PinnedSession(key, lockId, connection));
            return token;
        } catch (SQLException | RuntimeException failure) {
            abort(connection, failure);
            throw new BackendException("could not take an advisory lock", failure);
        }
    }

    private Connection open() {
        try {
            Connection connection = dataSource.getConnection();
            try {
                if (Dialect.of(connection) != Dialect.POSTGRESQL) {
                    throw new IllegalArgumentException("advisory locks need PostgreSQL, but the data source reaches "
                            + connection.getMetaData().getDatabaseProductName());
                }
                if (!connection.getAutoCommit()) {
                    connection.setAutoCommit(true);
                }
                return connection;
            } catch (SQLException | RuntimeException failure) {
                abort(connection, failure);
                throw failure;
            }
        } catch (SQLException failure) {
            throw new BackendException("could not open a connection for an advisory lock", failure);
        }
    }

    private OptionalLong tryLock(Connection connection, long lockId) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT CASE WHEN pg_try_advisory_lock(?) THEN txid_current() END")) {
            statement.setQueryTimeout(statementTimeoutSeconds);
            statement.setLong(1, lockId);
            try (ResultSet result = statement.executeQuery()) {
                result.next();
                long token = result.getLong(1);
                return result.wasNull() ? OptionalLong.empty() : OptionalLong.of(token);
            }
        }
    }

    @Override
    public boolean extend(String key, String owner, Duration ttl) {
        PinnedSession session = byOwner.get(owner);
        if (session == null || !session.key.equals(key)) {
            return false;
        }
        if (session.isAlive(statementTimeoutSeconds)) {
            return true;
        }
        LOG.debug("The pinned connection of an advisory lock is gone; its lock went with its session");
        if (byOwner.remove(owner, session)) {
            session.abandon(null);
        }
        return false;
    }

    @Override
    public boolean release(String key, String owner) {
        PinnedSession session = byOwner.get(owner);
        if (session == null || !session.key.equals(key) || !byOwner.remove(owner, session)) {
            return false;
        }
        return session.unlockAndClose(statementTimeoutSeconds);
    }

    /** Closes every pinned connection: each session ends, and its lock with it. */
    @Override
    public void close() {
        byOwner.forEach((owner, session) -> {
            if (byOwner.remove(owner, session)) {
                session.abandon(null);
            }
        });
    }

    private static void abort(Connection connection, Exception failure) {
        try {
            connection.abort(Runnable::run);
        } catch (SQLException | RuntimeException abortFailure) {
            if (failure != null) {
                failure.addSuppressed(abortFailure);
            }
        }
        try {
            connection.close(); // hands a pooled connection back, so that the pool sees it is broken
        } catch (SQLException | RuntimeException closeFailure) {
            if (failure != null) {
                failure.addSuppressed(closeFailure);
            }
        }
    }

    /** One held lock and the connection whose session holds it. */
    private static final class PinnedSession {
        final String key;
        private final long lockId;
        private final Connection connection;

        PinnedSession(String key, long lockId, Connection connection) {
            this.key = key;
            this.lockId = lockId;
            this.connection = connection;
        }

        synchronized boolean isAlive(int timeoutSeconds) {
            try {
                return connection.isValid(timeoutSeconds);
            } catch (SQLException | RuntimeException failure) {
                return false;
            }
        }

        /** @return whether the session held the lock until this call released it */
        synchronized boolean unlockAndClose(int timeoutSeconds) {
            boolean unlocked;
            try (PreparedStatement statement = connection.prepareStatement("SELECT pg_advisory_unlock(?)")) {
                statement.setQueryTimeout(timeoutSeconds);
                statement.setLong(1, lockId);
                try (ResultSet result = statement.executeQuery()) {
                    result.next();
                    unlocked = result.getBoolean(1);
                }
            } catch (SQLException failure) {
                LOG.debug("Could not unlock an advisory lock; closing its session instead", failure);
                abandon(failure);
                return false;
            }
            if (!unlocked) {
                LOG.warn("An advisory lock was not held by its pinned session when released (is the connection"
                        + " behind a transaction-pooling proxy?); closing the connection");
                abandon(null);
                return false;
            }
            try {
                connection.close();
            } catch (SQLException failure) {
                LOG.debug("Could not close the connection of a released advisory lock", failure);
            }
            return true;
        }

        synchronized void abandon(Exception failure) {
            abort(connection, failure);
        }
    }
}
