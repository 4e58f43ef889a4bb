package io.raceguard.jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.jdbi.v3.core.Jdbi;

/** One database opened for one test class; closing it drops everything the class created. */
final class TestDatabase implements AutoCloseable {

    private final DatabaseKind kind;
    private final DataSource dataSource;
    private final Jdbi jdbi;
    private final Runnable dropper;

    TestDatabase(DatabaseKind kind, DataSource dataSource, Runnable dropper) {
        this.kind = kind;
        this.dataSource = dataSource;
        this.jdbi = Jdbi.create(dataSource);
        this.dropper = dropper;
    }

    DatabaseKind kind() {
        return kind;
    }

    Jdbi jdbi() {
        return jdbi;
    }

    /** @return the data source, not pooled: every connection is a new session */
    DataSource dataSource() {
        return dataSource;
    }

    Connection connect() throws SQLException {
        return dataSource.getConnection();
    }

    /** Runs each statement in autocommit mode on a connection of its own. */
    void execute(String... statements) throws SQLException {
        try (Connection connection = connect(); Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        }
    }

    @Override
    public void close() {
        dropper.run();
    }

    @Override
    public String toString() {
        return kind.name();
    }
}
