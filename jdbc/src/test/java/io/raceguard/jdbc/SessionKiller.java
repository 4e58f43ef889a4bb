package io.raceguard.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.jdbi.v3.core.Handle;
import org.postgresql.PGConnection;

/**
 * Ends one of the test's own database sessions from a second session, as a crashed server process or
 * a cut network would end it: {@code pg_terminate_backend} on PostgreSQL, {@code KILL CONNECTION} on
 * MariaDB. Only ever aimed at a session the calling test opened itself.
 */
final class SessionKiller {

    private static final int POLLS = 1_000;
    private static final long POLL_MILLIS = 10;

    private SessionKiller() {}

    /**
     * @param handle a handle on PostgreSQL or MariaDB
     * @return the server's id of the handle's session, read from the driver without a round trip
     */
    static long sessionOf(Handle handle) throws SQLException {
        Connection connection = handle.getConnection();
        if (connection.isWrapperFor(PGConnection.class)) {
            return connection.unwrap(PGConnection.class).getBackendPID();
        }
        return connection.unwrap(org.mariadb.jdbc.Connection.class).getThreadId();
    }

    /**
     * Ends the session from a second connection and waits, bounded, until the server shows it gone.
     *
     * @param database where the session runs
     * @param session its id, from {@link #sessionOf}
     */
    static void kill(TestDatabase database, long session) throws SQLException, InterruptedException {
        try (Connection admin = database.connect()) {
            switch (database.kind()) {
                case POSTGRESQL -> query(admin, "SELECT pg_terminate_backend(CAST(? AS INTEGER))::int", session);
                // KILL takes no parameters; the id is a number the driver reported, not caller text.
                case MARIADB -> execute(admin, "KILL CONNECTION " + session);
                case H2 -> throw new IllegalArgumentException("H2 runs in process: there is no session to kill");
            }
            String stillThere = database.kind() == DatabaseKind.POSTGRESQL
                    ? "SELECT COUNT(*) FROM pg_stat_activity WHERE pid = ?"
                    : "SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE ID = ?";
            for (int poll = 0; poll < POLLS; poll++) {
                if (query(admin, stillThere, session) == 0) {
                    return;
                }
                Thread.sleep(POLL_MILLIS);
            }
            throw new AssertionError("session " + session + " did not end within " + POLLS * POLL_MILLIS + " ms");
        }
    }

    private static long query(Connection connection, String sql, long session) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setLong(1, session);
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }

    private static void execute(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }
}
