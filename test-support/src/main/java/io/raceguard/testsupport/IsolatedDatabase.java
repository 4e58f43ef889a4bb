package io.raceguard.testsupport;

import static java.util.Objects.requireNonNull;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.sql.DataSource;

/**
 * A namespace on a shared PostgreSQL or MariaDB server that belongs to one test class: a schema on
 * PostgreSQL, a database on MariaDB. Tables created through {@link #dataSource()} or
 * {@link #jdbcUrl()} land in it and are invisible to every other isolated namespace; {@link #close()}
 * drops it with all it holds.
 *
 * <p>Thread-safe: the data source may be used from many threads, and {@code close} drops the
 * namespace exactly once however many threads call it. If the JVM dies before {@code close}, the
 * namespace stays behind; its name starts with {@code rg_}, so leftovers are easy to spot.
 */
public final class IsolatedDatabase implements AutoCloseable {

    private final JdbcService server;
    private final String name;
    private final String jdbcUrl;
    private final DataSource dataSource;
    private final AtomicBoolean closed = new AtomicBoolean();

    private IsolatedDatabase(JdbcService server, String name, String jdbcUrl) {
        this.server = server;
        this.name = name;
        this.jdbcUrl = jdbcUrl;
        this.dataSource = server.dialect().dataSource(jdbcUrl, server.user(), server.password());
    }

    static IsolatedDatabase create(JdbcService server, Class<?> testClass) {
        requireNonNull(server, "server");
        String name = IsolationName.forClass(testClass);
        Dialect dialect = server.dialect();
        execute(server, dialect.createSql(name), "create");
        String isolatedUrl = dialect.isolatedUrl(JdbcUrl.parse(server.jdbcUrl()), name).format();
        return new IsolatedDatabase(server, name, isolatedUrl);
    }

    /** @return the schema (PostgreSQL) or database (MariaDB) name, matching {@code [a-z_][a-z0-9_]*} */
    public String name() {
        return name;
    }

    /** @return a URL, without credentials, whose connections land in this namespace */
    public String jdbcUrl() {
        return jdbcUrl;
    }

    /** @return the user to connect as, or null for the driver's default */
    public String user() {
        return server.user();
    }

    /** @return the password, or null for none */
    public String password() {
        return server.password();
    }

    /** @return a data source whose connections land in this namespace; thread-safe, not pooled */
    public DataSource dataSource() {
        return dataSource;
    }

    /**
     * Drops the namespace and everything in it ({@code DROP SCHEMA ... CASCADE} on PostgreSQL,
     * {@code DROP DATABASE} on MariaDB). Only the first call does anything.
     *
     * @throws IllegalStateException if the server refuses; the namespace may then still exist
     */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            execute(server, server.dialect().dropSql(name), "drop");
        }
    }

    @Override
    public String toString() {
        return "IsolatedDatabase[" + name + " on " + server.jdbcUrl() + "]";
    }

    private static void execute(JdbcService server, String sql, String verb) {
        try (Connection connection = server.connect(); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("could not " + verb + " the test " + server.dialect().namespaceKind()
                    + " on " + server.jdbcUrl() + " (" + server.source() + "): " + sql, e);
        }
    }
}
