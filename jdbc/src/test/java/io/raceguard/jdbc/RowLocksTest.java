package io.raceguard.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import org.jdbi.v3.core.Handle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

final class RowLocksTest {

    private static final RowLocks ITEMS = RowLocks.on("items", "id");

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void shouldRefuseToLockOutsideATransaction(DatabaseKind kind) throws SQLException {
        try (TestDatabase database = openWithItems(kind)) {
            database.jdbi().useHandle(handle -> assertThatThrownBy(() -> ITEMS.lock(handle, List.of(1)))
                    .isInstanceOf(IllegalStateException.class));
        }
    }

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void shouldLockInAscendingKeyOrderAndReportOnlyRowsThatExist(DatabaseKind kind) throws SQLException {
        try (TestDatabase database = openWithItems(kind)) {
            List<Integer> locked = database.jdbi().inTransaction(handle -> ITEMS.lock(handle, List.of(3, 1, 99, 2, 1)));
            assertThat(locked).containsExactly(1, 2, 3);
        }
    }

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void shouldFailAtOnceWithNowaitOnARowLockedByAnotherTransaction(DatabaseKind kind) throws SQLException {
        try (TestDatabase database = openWithItems(kind); Handle holder = lockedBy(database, 2)) {
            database.jdbi().useTransaction(handle -> assertThatThrownBy(() -> ITEMS.nowait()
                    .lock(handle, List.of(3, 2, 1)))
                    .isInstanceOfSatisfying(RowLocksUnavailableException.class, unavailable -> {
                        assertThat(unavailable.key()).isEqualTo(2);
                        assertThat(unavailable.failure())
                                .isInstanceOfAny(SqlFailure.LockNotAvailable.class, SqlFailure.LockTimeout.class);
                        assertThat(unavailable.getMessage()).doesNotContain("2");
                    }));
            holder.rollback();
        }
    }

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void shouldSkipRowsLockedByAnotherTransactionAndReportTheOnesItLocked(DatabaseKind kind) throws SQLException {
        try (TestDatabase database = openWithItems(kind); Handle holder = lockedBy(database, 2)) {
            List<Integer> locked = database.jdbi()
                    .inTransaction(handle -> ITEMS.skipLocked().lock(handle, List.of(3, 2, 1)));
            assertThat(locked).containsExactly(1, 3);
            holder.rollback();
        }
    }

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void shouldGiveUpAfterTheWaitRunsOut(DatabaseKind kind) throws SQLException {
        try (TestDatabase database = openWithItems(kind); Handle holder = lockedBy(database, 2)) {
            database.jdbi().useTransaction(handle ->
                    assertThatThrownBy(() -> ITEMS.waitAtMost(Duration.ofMillis(300)).lock(handle, List.of(1, 2)))
                            .isInstanceOfSatisfying(RowLocksUnavailableException.class, unavailable ->
                                    assertThat(unavailable.key()).isEqualTo(2)));
            holder.rollback();
        }
    }

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void shouldLockFreeRowsWithinTheWait(DatabaseKind kind) throws SQLException {
        try (TestDatabase database = openWithItems(kind)) {
            List<Integer> locked = database.jdbi().inTransaction(handle ->
                    ITEMS.waitAtMost(Duration.ofMillis(1500)).lock(handle, List.of(2, 1)));
            assertThat(locked).containsExactly(1, 2);
        }
    }

    @Test
    void shouldPutPostgresLockTimeoutBackAfterAWaitThatSucceeded() throws SQLException {
        try (TestDatabase database = openWithItems(DatabaseKind.POSTGRESQL)) {
            String after = database.jdbi().inTransaction(handle -> {
                handle.execute("SET LOCAL lock_timeout = '7s'");
                ITEMS.waitAtMost(Duration.ofMillis(250)).lock(handle, List.of(1));
                return handle.createQuery("SELECT current_setting('lock_timeout')").mapTo(String.class).one();
            });
            assertThat(after).isEqualTo("7s");
        }
    }

    @Test
    void shouldRejectBadArguments() {
        assertThatThrownBy(() -> ITEMS.waitAtMost(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ITEMS.waitAtMost(Duration.ofDays(400))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ITEMS.lock(null, List.of(1))).isInstanceOf(NullPointerException.class);
    }

    private static TestDatabase openWithItems(DatabaseKind kind) throws SQLException {
        TestDatabase database = kind.open(RowLocksTest.class);
        try {
            database.execute("CREATE TABLE items (id INT PRIMARY KEY, name VARCHAR(20))",
                    "INSERT INTO items (id, name) VALUES (1, 'one'), (2, 'two'), (3, 'three')");
            return database;
        } catch (SQLException | RuntimeException failure) {
            database.close();
            throw failure;
        }
    }

    /** A second connection holding the row lock of {@code id} in an open transaction. */
    private static Handle lockedBy(TestDatabase database, int id) {
        Handle holder = database.jdbi().open();
        holder.begin();
        holder.createQuery("SELECT id FROM items WHERE id = :id FOR UPDATE").bind("id", id).mapTo(Integer.class).one();
        return holder;
    }
}
