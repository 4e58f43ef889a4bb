package io.raceguard.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.raceguard.testsupport.IsolatedDatabase;
import io.raceguard.testsupport.TestServices;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;

/**
 * The databases of one store test class, each in a namespace of its own, reached through a
 * connection pool (as applications reach them) and given Raceguard's tables under their default
 * names on first use. PostgreSQL and MariaDB are opened only when a test asks for them, so a missing
 * server skips only the tests that need it. Not thread-safe: call it from test methods (or a kit's
 * store factory), not from their workers.
 */
final class StoreDatabases implements AutoCloseable {

    private static final int POOL_SIZE = 30;

    private final Class<?> testClass;
    private final Map<DatabaseKind, Jdbi> open = new EnumMap<>(DatabaseKind.class);
    private final List<AutoCloseable> toClose = new ArrayList<>();

    StoreDatabases(Class<?> testClass) {
        this.testClass = testClass;
    }

    /** @return the database of that kind, opened and given the default schema on first use */
    Jdbi withSchema(DatabaseKind kind) {
        return open.computeIfAbsent(kind, this::openWithSchema);
    }

    private Jdbi openWithSchema(DatabaseKind kind) {
        Jdbi jdbi = switch (kind) {
            case H2 -> pooled("jdbc:h2:mem:" + testClass.getSimpleName() + "_" + UUID.randomUUID().toString()
                    .replace("-", ""),
                    "sa", "");
            case POSTGRESQL -> isolated(TestServices.postgres().isolate(testClass));
            case MARIADB -> isolated(TestServices.mariadb().isolate(testClass));
        };
        Schema.defaults().create(jdbi);
        return jdbi;
    }

    private Jdbi isolated(IsolatedDatabase database) {
        toClose.add(database);
        return pooled(database.jdbcUrl(), database.user(), database.password());
    }

    /** An H2 in-memory database lives as long as a connection to it: the pool's, closed last. */
    private Jdbi pooled(String jdbcUrl, String user, String password) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(jdbcUrl);
        config.setUsername(user);
        config.setPassword(password);
        config.setMaximumPoolSize(POOL_SIZE);
        config.setPoolName("raceguard-" + testClass.getSimpleName());
        HikariDataSource pool = new HikariDataSource(config);
        // Closed before the namespace is dropped: toClose is closed last to first.
        toClose.add(pool);
        return Jdbi.create(pool);
    }

    @Override
    public void close() {
        RuntimeException failure = null;
        for (int i = toClose.size() - 1; i >= 0; i--) {
            try {
                toClose.get(i).close();
            } catch (Exception e) {
                if (failure == null) {
                    failure = new IllegalStateException("could not close a test database", e);
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        toClose.clear();
        open.clear();
        if (failure != null) {
            throw failure;
        }
    }
}
