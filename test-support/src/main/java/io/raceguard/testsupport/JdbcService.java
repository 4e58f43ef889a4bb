package io.raceguard.testsupport;

import static java.util.Objects.requireNonNull;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;
import javax.sql.DataSource;

/**
 * A PostgreSQL or MariaDB server that tests may use, as found by {@link TestServices}.
 *
 * <p>The server is shared with other test classes, other JVMs and other people: a test class works
 * in its own namespace from {@link #isolate(Class)}, never in the database {@link #jdbcUrl()} names.
 *
 * <p>Immutable and thread-safe; every method that talks to the server opens its own connection.
 *
 * @param jdbcUrl a single-host {@code jdbc:postgresql://} or {@code jdbc:mariadb://} URL without
 *     credentials
 * @param user the user to connect as, or null for the driver's default
 * @param password the password, or null for none
 * @param source where the server was found, for logs: the variable name, {@code Testcontainers ...}
 *     or {@code localhost:PORT}
 */
public record JdbcService(String jdbcUrl, String user, String password, String source) {

    /**
     * @throws NullPointerException if {@code jdbcUrl} or {@code source} is null
     * @throws IllegalArgumentException if {@code jdbcUrl} is not a single-host PostgreSQL or MariaDB
     *     URL, or carries a {@code user} or {@code password} parameter (use {@link #fromUrl} for those)
     */
    public JdbcService {
        requireNonNull(jdbcUrl, "jdbcUrl");
        requireNonNull(source, "source");
        JdbcUrl parsed = JdbcUrl.parse(jdbcUrl);
        if (!parsed.equals(parsed.withoutCredentials())) {
            throw new IllegalArgumentException(
                    "jdbcUrl must not carry credentials: pass user and password, or use JdbcService.fromUrl");
        }
    }

    /**
     * Takes credentials out of a URL such as
     * {@code jdbc:postgresql://127.0.0.1:5432/test?user=postgres&password=secret}; the values are
     * URL-decoded, the other parameters are kept as they are.
     *
     * @param url a single-host PostgreSQL or MariaDB JDBC URL, credentials optional
     * @param source where the URL came from, for logs
     * @return the service
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if {@code url} is not such a URL
     */
    public static JdbcService fromUrl(String url, String source) {
        JdbcUrl parsed = JdbcUrl.parse(requireNonNull(url, "url"));
        return new JdbcService(parsed.withoutCredentials().format(), parsed.user(), parsed.password(), source);
    }

    /**
     * Opens a connection to the database {@link #jdbcUrl()} names. Prefer
     * {@link IsolatedDatabase#dataSource()} for anything that creates tables or rows.
     *
     * @return a new connection; the caller closes it
     * @throws SQLException if the server cannot be reached or refuses the credentials
     */
    public Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbcUrl, credentials(new Properties()));
    }

    /**
     * Creates a namespace that only the calling test class uses: a new schema on PostgreSQL, a new
     * database on MariaDB, named after {@code testClass} plus a random suffix. Close it (for example
     * in {@code @AfterAll}) to drop it with everything in it.
     *
     * @param testClass the test class the namespace is for; only its simple name is used
     * @return the new, empty namespace
     * @throws NullPointerException if {@code testClass} is null
     * @throws IllegalStateException if the server refuses to create it; the cause says why
     */
    public IsolatedDatabase isolate(Class<?> testClass) {
        return IsolatedDatabase.create(this, requireNonNull(testClass, "testClass"));
    }

    /** @return the password masked, so that logging this record leaks nothing */
    @Override
    public String toString() {
        return "JdbcService[jdbcUrl=" + jdbcUrl + ", user=" + user + ", password=" + (password == null ? null : "***")
                + ", source=" + source + "]";
    }

    Dialect dialect() {
        return JdbcUrl.parse(jdbcUrl).dialect();
    }

    Properties credentials(Properties properties) {
        if (user != null) {
            properties.setProperty("user", user);
        }
        if (password != null) {
            properties.setProperty("password", password);
        }
        return properties;
    }
}
