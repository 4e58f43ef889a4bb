package io.raceguard.jdbc;

import io.raceguard.testsupport.IsolatedDatabase;
import java.util.Properties;
import org.jdbi.v3.core.Jdbi;

/** A test's own database on one {@link TestBackend}; closing it drops everything the test created. */
final class TestDatabase implements AutoCloseable {

    private final TestBackend backend;
    private final Jdbi jdbi;
    private final String jdbcUrl;
    private final IsolatedDatabase isolated;
    private final Runnable drop;

    TestDatabase(TestBackend backend, Jdbi jdbi, String jdbcUrl, IsolatedDatabase isolated, Runnable drop) {
        this.backend = backend;
        this.jdbi = jdbi;
        this.jdbcUrl = jdbcUrl;
        this.isolated = isolated;
        this.drop = drop;
    }

    TestBackend backend() {
        return backend;
    }

    Jdbi jdbi() {
        return jdbi;
    }

    /**
     * @param parameter a driver parameter, {@code name=value}, such as MariaDB's {@code useAffectedRows=true}
     * @return a Jdbi on the same database whose connections carry that parameter
     */
    Jdbi jdbiWith(String parameter) {
        String url = jdbcUrl + (jdbcUrl.contains("?") ? "&" : backend == TestBackend.H2 ? ";" : "?") + parameter;
        Properties credentials = new Properties();
        if (isolated != null && isolated.user() != null) {
            credentials.setProperty("user", isolated.user());
        }
        if (isolated != null && isolated.password() != null) {
            credentials.setProperty("password", isolated.password());
        }
        return Jdbi.create(url, credentials);
    }

    /** Runs DDL or setup statements, each in its own autocommit statement. */
    void execute(String... statements) {
        jdbi.useHandle(handle -> {
            for (String statement : statements) {
                handle.execute(statement);
            }
        });
    }

    @Override
    public void close() {
        drop.run();
    }
}
