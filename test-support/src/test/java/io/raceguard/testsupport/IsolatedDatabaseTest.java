package io.raceguard.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

final class IsolatedDatabaseTest {

    static Stream<Named<Supplier<JdbcService>>> servers() {
        return Stream.of(
                Named.of("PostgreSQL", TestServices::postgres),
                Named.of("MariaDB", TestServices::mariadb));
    }

    @ParameterizedTest
    @MethodSource("servers")
    void shouldLandConnectionsInTheNewNamespace(Supplier<JdbcService> server) throws SQLException {
        try (IsolatedDatabase database = server.get().isolate(IsolatedDatabaseTest.class)) {
            assertThat(database.name()).matches("rg_isolateddatabasetest_[0-9a-f]{8}");
            assertThat(database.jdbcUrl()).contains(database.name()).doesNotContain("password");

            try (Connection connection = database.dataSource().getConnection()) {
                assertThat(currentNamespace(connection)).isEqualTo(database.name());
            }
            try (Connection connection =
                    DriverManager.getConnection(database.jdbcUrl(), database.user(), database.password())) {
                assertThat(currentNamespace(connection)).isEqualTo(database.name());
            }
        }
    }

    @ParameterizedTest
    @MethodSource("servers")
    void shouldHideTablesOfOneNamespaceFromAnother(Supplier<JdbcService> server) throws SQLException {
        try (IsolatedDatabase first = server.get().isolate(IsolatedDatabaseTest.class);
                IsolatedDatabase second = server.get().isolate(IsolatedDatabaseTest.class)) {
            execute(first, "CREATE TABLE items (id INT PRIMARY KEY)", "INSERT INTO items VALUES (1), (2)");

            assertThatThrownBy(() -> countItems(second)).isInstanceOf(SQLException.class);

            execute(second, "CREATE TABLE items (id INT PRIMARY KEY)", "INSERT INTO items VALUES (7)");
            assertThat(countItems(first)).isEqualTo(2);
            assertThat(countItems(second)).isEqualTo(1);
        }
    }

    @ParameterizedTest
    @MethodSource("servers")
    void shouldDropTheNamespaceWithItsTablesOnClose(Supplier<JdbcService> server) throws SQLException {
        JdbcService service = server.get();
        IsolatedDatabase database = service.isolate(IsolatedDatabaseTest.class);
        execute(database, "CREATE TABLE items (id INT PRIMARY KEY)", "INSERT INTO items VALUES (1)");
        assertThat(namespaceExists(service, database.name())).isTrue();

        database.close();

        assertThat(namespaceExists(service, database.name())).isFalse();
    }

    @ParameterizedTest
    @MethodSource("servers")
    void shouldDropOnceWhenClosedFromManyThreadsAtOnce(Supplier<JdbcService> server) throws Exception {
        JdbcService service = server.get();
        IsolatedDatabase database = service.isolate(IsolatedDatabaseTest.class);
        int threads = 8;
        CountDownLatch gate = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> closes = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                closes.add(pool.submit(() -> {
                    gate.await();
                    database.close();
                    return null;
                }));
            }
            gate.countDown();
            for (Future<?> close : closes) {
                close.get(30, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }

        assertThat(namespaceExists(service, database.name())).isFalse();
        database.close();
    }

    @ParameterizedTest
    @MethodSource("servers")
    void shouldRejectAMissingTestClass(Supplier<JdbcService> server) {
        // Looked up outside the lambda: the assertion would take a missing server's skip for the wrong exception.
        JdbcService service = server.get();

        assertThatNullPointerException().isThrownBy(() -> service.isolate(null)).withMessage("testClass");
    }

    private static String currentNamespace(Connection connection) throws SQLException {
        String query = connection.getMetaData().getDatabaseProductName().equals("PostgreSQL")
                ? "SELECT current_schema()" : "SELECT DATABASE()";
        try (Statement statement = connection.createStatement(); ResultSet result = statement.executeQuery(query)) {
            result.next();
            return result.getString(1);
        }
    }

    private static void execute(IsolatedDatabase database, String... statements) throws SQLException {
        try (Connection connection = database.dataSource().getConnection();
                Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        }
    }

    private static int countItems(IsolatedDatabase database) throws SQLException {
        try (Connection connection = database.dataSource().getConnection();
                Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery("SELECT count(*) FROM items")) {
            result.next();
            return result.getInt(1);
        }
    }

    private static boolean namespaceExists(JdbcService service, String name) throws SQLException {
        try (Connection connection = service.connect();
                PreparedStatement statement = connection.prepareStatement(
                        "SELECT count(*) FROM information_schema.schemata WHERE schema_name = ?")) {
            statement.setString(1, name);
            try (ResultSet result = statement.executeQuery()) {
                result.next();
                return result.getInt(1) == 1;
            }
        }
    }
}
