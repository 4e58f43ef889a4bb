package io.raceguard.jdbc;

import static java.util.Objects.requireNonNull;

import io.raceguard.BackendException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Locale;

/**
 * The SQL dialects Raceguard writes statements for. Immutable and thread-safe.
 */
public enum Dialect {
    /** PostgreSQL, through pgjdbc. */
    POSTGRESQL,
    /** MariaDB and MySQL, through either vendor's driver. */
    MARIADB,
    /** H2 2.x in its default mode. */
    H2;

    /**
     * The dialect of the database a connection talks to, from
     * {@link java.sql.DatabaseMetaData#getDatabaseProductName()}. Reads metadata only: no statement is
     * run and the connection's state is left as it was.
     *
     * @param connection an open connection
     * @return the dialect of the connection's database
     * @throws NullPointerException if {@code connection} is null
     * @throws IllegalArgumentException if the database is not PostgreSQL, MariaDB, MySQL or H2
     * @throws BackendException if the driver fails to report its metadata
     */
    public static Dialect of(Connection connection) {
        requireNonNull(connection, "connection");
        String product;
        try {
            product = connection.getMetaData().getDatabaseProductName();
        } catch (SQLException e) {
            throw new BackendException("could not read the database product name", e);
        }
        String normalized = product == null ? "" : product.toLowerCase(Locale.ROOT);
        if (normalized.startsWith("postgresql")) {
            return POSTGRESQL;
        }
        if (normalized.startsWith("mariadb") || normalized.startsWith("mysql")) {
            return MARIADB;
        }
        if (normalized.equals("h2")) {
            return H2;
        }
        throw new IllegalArgumentException(
                "connection must reach PostgreSQL, MariaDB, MySQL or H2, but the database is " + product);
    }
}
