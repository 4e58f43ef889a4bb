package io.raceguard.testsupport;

import java.sql.SQLException;
import java.util.Properties;
import javax.sql.DataSource;
import org.mariadb.jdbc.MariaDbDataSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * What differs between PostgreSQL and MariaDB when a test class gets a namespace of its own:
 * PostgreSQL gives it a schema (selected with {@code currentSchema}), MariaDB a database (selected
 * in the URL path). Every name passed in has already been checked by {@link IsolationName}.
 */
enum Dialect {
    POSTGRESQL("jdbc:postgresql://", "schema") {
        @Override
        String createSql(String name) {
            return "CREATE SCHEMA " + name;
        }

        @Override
        String dropSql(String name) {
            return "DROP SCHEMA IF EXISTS " + name + " CASCADE";
        }

        @Override
        JdbcUrl isolatedUrl(JdbcUrl base, String name) {
            return base.withParameter("currentSchema", name);
        }

        @Override
        DataSource dataSource(String url, String user, String password) {
            PGSimpleDataSource dataSource = new PGSimpleDataSource();
            dataSource.setURL(url);
            dataSource.setUser(user);
            dataSource.setPassword(password);
            return dataSource;
        }

        @Override
        Properties probeTimeouts() {
            Properties timeouts = new Properties();
            timeouts.setProperty("connectTimeout", "5");
            timeouts.setProperty("loginTimeout", "10");
            timeouts.setProperty("socketTimeout", "10");
            return timeouts;
        }
    },
    MARIADB("jdbc:mariadb://", "database") {
        @Override
        String createSql(String name) {
            return "CREATE DATABASE " + name;
        }

        @Override
        String dropSql(String name) {
            return "DROP DATABASE IF EXISTS " + name;
        }

        @Override
        JdbcUrl isolatedUrl(JdbcUrl base, String name) {
            return base.withDatabase(name);
        }

        @Override
        DataSource dataSource(String url, String user, String password) {
            try {
                MariaDbDataSource dataSource = new MariaDbDataSource(url);
                if (user != null) {
                    dataSource.setUser(user);
                }
                if (password != null) {
                    dataSource.setPassword(password);
                }
                return dataSource;
            } catch (SQLException e) {
                throw new IllegalArgumentException("MariaDB refused the URL " + url, e);
            }
        }

        @Override
        Properties probeTimeouts() {
            Properties timeouts = new Properties();
            timeouts.setProperty("connectTimeout", "5000");
            timeouts.setProperty("socketTimeout", "10000");
            return timeouts;
        }
    };

    private final String urlPrefix;
    private final String namespaceKind;

    Dialect(String urlPrefix, String namespaceKind) {
        this.urlPrefix = urlPrefix;
        this.namespaceKind = namespaceKind;
    }

    static Dialect fromPrefix(String prefix) {
        for (Dialect dialect : values()) {
            if (dialect.urlPrefix.equals(prefix)) {
                return dialect;
            }
        }
        throw new IllegalArgumentException("no dialect for URL prefix " + prefix);
    }

    String urlPrefix() {
        return urlPrefix;
    }

    /** @return "schema" or "database", for messages */
    String namespaceKind() {
        return namespaceKind;
    }

    abstract String createSql(String name);

    abstract String dropSql(String name);

    /** @return {@code base} changed so that its connections land in the namespace {@code name} */
    abstract JdbcUrl isolatedUrl(JdbcUrl base, String name);

    /** @return a data source for {@code url} (which carries no credentials); null user or password: driver default */
    abstract DataSource dataSource(String url, String user, String password);

    /** @return driver properties that bound how long a probe can wait on a server that does not answer */
    abstract Properties probeTimeouts();
}
