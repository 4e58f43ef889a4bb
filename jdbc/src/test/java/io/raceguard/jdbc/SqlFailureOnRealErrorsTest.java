package io.raceguard.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.sql.BatchUpdateException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The classifier on errors provoked for real on each database, not on hand-built exceptions. */
final class SqlFailureOnRealErrorsTest {

    private static final OpenDatabases DATABASES = new OpenDatabases(SqlFailureOnRealErrorsTest.class);

    @AfterAll
    static void dropDatabases() {
        DATABASES.close();
    }

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void shouldClassifyARealDeadlock(DatabaseKind kind) throws Exception {
        TestDatabase database = DATABASES.get(kind);
        createTwoRows(database, "deadlock_rows");

        List<SQLException> failures = crossUpdates(database, "deadlock_rows");

        assertThat(failures).as("exactly one of the two crossing transactions is the deadlock victim").hasSize(1);
        assertThat(SqlFailure.classify(failures.get(0))).isInstanceOf(SqlFailure.Deadlock.class);
    }

    /** H2 has no serialization failures of its own: its SERIALIZABLE does not detect write skew. */
    @ParameterizedTest
    @EnumSource(value = DatabaseKind.class, names = {"POSTGRESQL", "MARIADB"})
    void shouldClassifyARealSerializationFailure(DatabaseKind kind) throws Exception {
        TestDatabase database = DATABASES.get(kind);
        createTwoRows(database, "skew_rows");

        SQLException failure = kind == DatabaseKind.POSTGRESQL
                ? postgresWriteSkew(database, "skew_rows")
                : mariadbSnapshotConflict(database, "skew_rows");

        assertThat(SqlFailure.classify(failure)).isInstanceOf(SqlFailure.SerializationConflict.class);
    }

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void shouldClassifyARealLockTimeout(DatabaseKind kind) throws Exception {
        TestDatabase database = DATABASES.get(kind);
        createTwoRows(database, "timeout_rows");

        SQLException failure = whileRowOneIsLocked(database, "timeout_rows", waiter -> {
            execute(waiter, switch (kind) {
                case POSTGRESQL -> "SET lock_timeout = '100ms'";
                case MARIADB -> "SET SESSION innodb_lock_wait_timeout = 1";
                case H2 -> "SET LOCK_TIMEOUT 100";
            });
            execute(waiter, "UPDATE timeout_rows SET v = v + 1 WHERE id = 1");
        });

        assertThat(SqlFailure.classify(failure)).isInstanceOf(SqlFailure.LockTimeout.class);
    }

    /** Only PostgreSQL tells a NOWAIT refusal from a lock timeout; MariaDB and H2 report both alike. */
    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void shouldClassifyARealNowaitRefusal(DatabaseKind kind) throws Exception {
        TestDatabase database = DATABASES.get(kind);
        createTwoRows(database, "nowait_rows");

        SQLException failure = whileRowOneIsLocked(database, "nowait_rows",
                waiter -> execute(waiter, "SELECT v FROM nowait_rows WHERE id = 1 FOR UPDATE NOWAIT"));

        assertThat(SqlFailure.classify(failure)).isInstanceOf(kind == DatabaseKind.POSTGRESQL
                ? SqlFailure.LockNotAvailable.class
                : SqlFailure.LockTimeout.class);
    }

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void shouldNameTheViolatedConstraintOrIndexOfARealDuplicate(DatabaseKind kind) throws Exception {
        TestDatabase database = DATABASES.get(kind);
        createMembers(database, "members");

        SQLException byConstraint = insertFailing(database, "INSERT INTO members VALUES (2, 'ann@example.com', 'b')");
        SQLException byIndex = insertFailing(database, "INSERT INTO members VALUES (3, 'bob@example.com', 'ann')");
        SQLException byPrimaryKey = insertFailing(database, "INSERT INTO members VALUES (1, 'cid@example.com', 'c')");

        assertThat(constraintOf(byConstraint)).isEqualTo(storedName(kind, "uq_members_email"));
        assertThat(constraintOf(byIndex)).isEqualTo(storedName(kind, "ix_members_nickname"));
        assertThat(constraintOf(byPrimaryKey))
                .isEqualTo(kind == DatabaseKind.MARIADB ? "PRIMARY" : storedName(kind, "pk_members"));
    }

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void shouldNameTheConstraintOfARealDuplicateInABatch(DatabaseKind kind) throws Exception {
        TestDatabase database = DATABASES.get(kind);
        createMembers(database, "batch_members");

        BatchUpdateException failure;
        try (Connection connection = database.connect();
                PreparedStatement insert = connection.prepareStatement("INSERT INTO batch_members VALUES (?, ?, ?)")) {
            for (int id = 2; id <= 3; id++) {
                insert.setInt(1, id);
                insert.setString(2, "same@example.com");
                insert.setString(3, "n" + id);
                insert.addBatch();
            }
            failure = (BatchUpdateException) catchThrowable(insert::executeBatch);
        }

        assertThat((Throwable) failure).isNotNull();
        assertThat(constraintOf(failure)).isEqualTo(storedName(kind, "uq_batch_members_email"));
    }

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void shouldSeeARealDuplicateThroughJdbisStatementException(DatabaseKind kind) throws Exception {
        TestDatabase database = DATABASES.get(kind);
        createMembers(database, "jdbi_members");

        Throwable failure = catchThrowable(() -> database.jdbi().useHandle(handle ->
                handle.execute("INSERT INTO jdbi_members VALUES (2, 'ann@example.com', 'b')")));

        assertThat(failure).isInstanceOf(UnableToExecuteStatementException.class);
        assertThat(constraintOf(failure)).isEqualTo(storedName(kind, "uq_jdbi_members_email"));
    }

    @ParameterizedTest
    @EnumSource(value = DatabaseKind.class, names = "POSTGRESQL")
    void shouldSeePastARealInFailedTransactionErrorToTheRealOriginal(DatabaseKind kind) throws Exception {
        TestDatabase database = DATABASES.get(kind);
        createMembers(database, "aborted_members");

        try (Connection connection = database.connect()) {
            connection.setAutoCommit(false);
            SQLException duplicate = (SQLException) catchThrowable(
                    () -> execute(connection, "INSERT INTO aborted_members VALUES (2, 'ann@example.com', 'b')"));
            SQLException aborted = (SQLException) catchThrowable(() -> execute(connection, "SELECT 1"));
            connection.rollback();

            // pgjdbc chains the error that aborted the transaction as the cause of the 25P02.
            assertThat(aborted.getSQLState()).isEqualTo("25P02");
            assertThat(constraintOf(aborted)).isEqualTo("uq_aborted_members_email");
            assertThat((Throwable) ((SqlFailure.UniqueViolation) SqlFailure.classify(aborted)).exception())
                    .isSameAs(duplicate);
        }
    }

    private static String constraintOf(Throwable failure) {
        SqlFailure classified = SqlFailure.classify(failure);
        assertThat(classified).isInstanceOf(SqlFailure.UniqueViolation.class);
        return ((SqlFailure.UniqueViolation) classified).constraint();
    }

    /** The name as the database stores an unquoted identifier. */
    private static String storedName(DatabaseKind kind, String name) {
        return kind == DatabaseKind.H2 ? name.toUpperCase(java.util.Locale.ROOT) : name;
    }

    private static void createTwoRows(TestDatabase database, String table) throws SQLException {
        database.execute(
                "DROP TABLE IF EXISTS " + table,
                "CREATE TABLE " + table + " (id INT PRIMARY KEY, v INT NOT NULL)",
                "INSERT INTO " + table + " VALUES (1, 0), (2, 0)");
    }

    private static void createMembers(TestDatabase database, String table) throws SQLException {
        database.execute(
                "DROP TABLE IF EXISTS " + table,
                "CREATE TABLE " + table + " (id INT, email VARCHAR(100), nickname VARCHAR(100),"
                        + " CONSTRAINT pk_" + table + " PRIMARY KEY (id), CONSTRAINT uq_" + table
                                + "_email UNIQUE (email))",
                "CREATE UNIQUE INDEX ix_" + table + "_nickname ON " + table + " (nickname)",
                "INSERT INTO " + table + " VALUES (1, 'ann@example.com', 'ann')");
    }

    private static SQLException insertFailing(TestDatabase database, String insert) throws SQLException {
        try (Connection connection = database.connect()) {
            Throwable failure = catchThrowable(() -> execute(connection, insert));
            assertThat(failure).as(insert).isInstanceOf(SQLException.class);
            return (SQLException) failure;
        }
    }

    private static void execute(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    /**
     * Two transactions each update their own row, then, released together by one gate, each other's
     * row: a lock cycle the database must break by failing one of them.
     *
     * @return the failures the two second updates met
     */
    private static List<SQLException> crossUpdates(TestDatabase database, String table) throws Exception {
        ExecutorService workers = Executors.newFixedThreadPool(2);
        try (Connection first = database.connect(); Connection second = database.connect()) {
            for (Connection connection : List.of(first, second)) {
                connection.setAutoCommit(false);
            }
            execute(first, "UPDATE " + table + " SET v = v + 1 WHERE id = 1");
            execute(second, "UPDATE " + table + " SET v = v + 1 WHERE id = 2");
            CountDownLatch gate = new CountDownLatch(1);
            Future<SQLException> firstOutcome = workers.submit(() -> updateAfterGate(gate, first, table, 2));
            Future<SQLException> secondOutcome = workers.submit(() -> updateAfterGate(gate, second, table, 1));
            gate.countDown();
            List<SQLException> failures = new ArrayList<>();
            failures.add(firstOutcome.get(60, TimeUnit.SECONDS));
            failures.add(secondOutcome.get(60, TimeUnit.SECONDS));
            first.rollback();
            second.rollback();
            failures.removeIf(Objects::isNull);
            return failures;
        } finally {
            workers.shutdownNow();
        }
    }

    /** @return the failure, after rolling back so that the other transaction can go on; null on success */
    private static SQLException updateAfterGate(CountDownLatch gate, Connection connection, String table, int id)
            throws Exception {
        gate.await();
        try {
            execute(connection, "UPDATE " + table + " SET v = v + 1 WHERE id = " + id);
            return null;
        } catch (SQLException failure) {
            connection.rollback();
            return failure;
        }
    }

    /** Two SERIALIZABLE transactions each read both rows and write a different one: write skew. */
    private static SQLException postgresWriteSkew(TestDatabase database, String table) throws SQLException {
        try (Connection first = database.connect(); Connection second = database.connect()) {
            for (Connection connection : List.of(first, second)) {
                connection.setTransactionIsolation(Connection.TRANSACTION_SERIALIZABLE);
                connection.setAutoCommit(false);
                execute(connection, "SELECT SUM(v) FROM " + table);
            }
            execute(first, "UPDATE " + table + " SET v = v + 1 WHERE id = 1");
            execute(second, "UPDATE " + table + " SET v = v + 1 WHERE id = 2");
            first.commit();
            Throwable failure = catchThrowable(second::commit);
            second.rollback();
            assertThat(failure).as("the second commit of a write skew").isInstanceOf(SQLException.class);
            return (SQLException) failure;
        }
    }

    /**
     * MariaDB's snapshot isolation (innodb_snapshot_isolation, off by default before 11.6) refuses to
     * update a row that changed after the transaction's snapshot was taken, with error 1020.
     */
    private static SQLException mariadbSnapshotConflict(TestDatabase database, String table) throws SQLException {
        try (Connection reader = database.connect(); Connection writer = database.connect()) {
            execute(reader, "SET SESSION innodb_snapshot_isolation = ON");
            reader.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            reader.setAutoCommit(false);
            execute(reader, "SELECT v FROM " + table + " WHERE id = 1");
            execute(writer, "UPDATE " + table + " SET v = v + 1 WHERE id = 1");
            Throwable failure = catchThrowable(() -> execute(reader, "UPDATE " + table
                    + " SET v = v + 1 WHERE id = 1"));
            reader.rollback();
            assertThat(failure).as("an update of a row changed since the snapshot").isInstanceOf(SQLException.class);
            return (SQLException) failure;
        }
    }

    private interface SqlAction {
        void run(Connection connection) throws SQLException;
    }

    /** @return what {@code waiter} met while another transaction held a lock on row 1 */
    private static SQLException whileRowOneIsLocked(TestDatabase database, String table, SqlAction waiter)
            throws SQLException {
        try (Connection holder = database.connect(); Connection blocked = database.connect()) {
            holder.setAutoCommit(false);
            execute(holder, "UPDATE " + table + " SET v = v + 1 WHERE id = 1");
            blocked.setAutoCommit(false);
            Throwable failure = catchThrowable(() -> waiter.run(blocked));
            blocked.rollback();
            holder.rollback();
            assertThat(failure).as("a statement waiting for a held lock").isInstanceOf(SQLException.class);
            return (SQLException) failure;
        }
    }
}
