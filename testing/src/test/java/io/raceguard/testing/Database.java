package io.raceguard.testing;

import io.raceguard.testsupport.IsolatedDatabase;
import io.raceguard.testsupport.TestServices;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;

/** The databases the hammer's JDBC checks are tried on, each in a namespace of the calling test class. */
enum Database {
    H2 {
        @Override
        Opened open(Class<?> testClass) {
            JdbcDataSource dataSource = new JdbcDataSource();
            dataSource.setURL("jdbc:h2:mem:" + testClass.getSimpleName() + "_" + UUID.randomUUID().toString()
                    .replace("-", "")
                    + ";DB_CLOSE_DELAY=-1;LOCK_TIMEOUT=30000");
            dataSource.setUser("sa");
            return new Opened(dataSource, () -> execute(dataSource, "SHUTDOWN"));
        }
    },
    POSTGRESQL {
        @Override
        Opened open(Class<?> testClass) {
            IsolatedDatabase database = TestServices.postgres().isolate(testClass);
            return new Opened(database.dataSource(), database::close);
        }
    };

    /**
     * @param testClass the test class the namespace is for
     * @return a data source whose tables only that class sees, and how to drop them
     * @throws org.opentest4j.TestAbortedException if the server is not around (the test is skipped)
     */
    abstract Opened open(Class<?> testClass);

    /** An open test database. */
    record Opened(DataSource dataSource, AutoCloseable drop) {}

    /**
     * @param dataSource where to run the statements
     * @param sql the statements, each in its own round trip, in auto-commit mode
     */
    static void execute(DataSource dataSource, String... sql) {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            for (String each : sql) {
                statement.execute(each);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not run " + String.join("; ", sql), e);
        }
    }
}
