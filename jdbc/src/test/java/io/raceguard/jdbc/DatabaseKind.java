package io.raceguard.jdbc;

import io.raceguard.testsupport.IsolatedDatabase;
import io.raceguard.testsupport.TestServices;
import java.util.UUID;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;

/** The databases the jdbc module is tested on, each opened in a namespace of the calling test class. */
enum DatabaseKind {
    H2 {
        @Override
        TestDatabase open(Class<?> testClass) {
            JdbcDataSource dataSource = new JdbcDataSource();
            dataSource.setURL("jdbc:h2:mem:" + testClass.getSimpleName() + "_" + UUID.randomUUID().toString()
                    .replace("-", "")
                    + ";DB_CLOSE_DELAY=-1");
            dataSource.setUser("sa");
            return new TestDatabase(this, dataSource, () -> shutdown(dataSource));
        }
    },
    POSTGRESQL {
        @Override
        TestDatabase open(Class<?> testClass) {
            IsolatedDatabase database = TestServices.postgres().isolate(testClass);
            return new TestDatabase(this, database.dataSource(), database::close);
        }
    },
    MARIADB {
        @Override
        TestDatabase open(Class<?> testClass) {
            IsolatedDatabase database = TestServices.mariadb().isolate(testClass);
            return new TestDatabase(this, database.dataSource(), database::close);
        }
    };

    abstract TestDatabase open(Class<?> testClass);

    private static void shutdown(DataSource dataSource) {
        try (var connection = dataSource.getConnection(); var statement = connection.createStatement()) {
            statement.execute("SHUTDOWN");
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException("could not shut the H2 test database down", e);
        }
    }
}
