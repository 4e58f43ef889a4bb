package io.raceguard.jdbc;

import io.raceguard.testsupport.IsolatedDatabase;
import io.raceguard.testsupport.TestServices;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;

/** The three databases the jdbc tests run on; each {@link #open} gives the calling test a namespace of its own. */
enum TestBackend {
    H2 {
        @Override
        TestDatabase open(Class<?> testClass) {
            // A generous lock timeout: twenty threads queue on one row on a two-core machine.
            String url = "jdbc:h2:mem:rg_" + UUID.randomUUID().toString().replace("-", "")
                    + ";DB_CLOSE_DELAY=-1;LOCK_TIMEOUT=20000";
            return new TestDatabase(this, Jdbi.create(url), url, null, () -> shutDown(url));
        }
    },
    POSTGRESQL {
        @Override
        TestDatabase open(Class<?> testClass) {
            return isolated(this, TestServices.postgres().isolate(testClass));
        }
    },
    MARIADB {
        @Override
        TestDatabase open(Class<?> testClass) {
            return isolated(this, TestServices.mariadb().isolate(testClass));
        }
    };

    /**
     * @param testClass the test class, which names the namespace
     * @return a fresh, empty database, schema or in-memory H2 database; close it to drop it
     */
    abstract TestDatabase open(Class<?> testClass);

    private static void shutDown(String h2Url) {
        try (Connection connection = DriverManager.getConnection(h2Url); Statement statement = connection.createStatement()) {
            statement.execute("SHUTDOWN");
        } catch (SQLException e) {
            throw new IllegalStateException("could not shut the in-memory H2 database down", e);
        }
    }

    private static TestDatabase isolated(TestBackend backend, IsolatedDatabase database) {
        return new TestDatabase(backend, Jdbi.create(database.dataSource()), database.jdbcUrl(), database, database::close);
    }
}
