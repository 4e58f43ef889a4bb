package io.raceguard.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.jdbi.v3.core.Handle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

final class RowLocksTest {

    private static final RowLocks ITEMS = RowLocks.on("items", "id");

    @ParameterizedTest
    @EnumSource(TestBackend.class)
    void shouldRefuseToLockOutsideATransaction(TestBackend backend) {
        try (TestDatabase database = openWithItems(backend)) {
            database.jdbi().useHandle(handle -> assertThatThrownBy(() -> ITEMS.lock(handle, List.of(1)))
                    .isInstanceOf(IllegalStateException.class));
        }
    }

    @ParameterizedTest
    @EnumSource(TestBackend.class)
    void shouldLockInAscendingKeyOrderAndReportOnlyRowsThatExist(TestBackend backend) {
        try (TestDatabase database = openWithItems(backend)) {
            List<Integer> locked = database.jdbi().inTransaction(handle -> ITEMS.lock(handle, List.of(3, 1, 99, 2, 1)));
            assertThat(locked).containsExactly(1, 2, 3);
        }
    }

    @ParameterizedTest
    @EnumSource(TestBackend.class)
    void shouldFailAtOnceWithNowaitOnARowLockedByAnotherTransaction(TestBackend backend) {
        try (TestDatabase database = openWithItems(backend); Handle holder = lockedBy(database, 2)) {
            database.jdbi().useTransaction(handle -> assertThatThrownBy(() -> ITEMS.nowait().lock(handle, List.of(3, 2, 1)))
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
    @EnumSource(TestBackend.class)
    void shouldSkipRowsLockedByAnotherTransactionAndReportTheOnesItLocked(TestBackend backend) {
        try (TestDatabase database = openWithItems(backend); Handle holder = lockedBy(database, 2)) {
            List<Integer> locked = database.jdbi().inTransaction(handle -> ITEMS.skipLocked().lock(handle, List.of(3, 2, 1)));
            assertThat(locked).containsExactly(1, 3);
            holder.rollback();
        }
    }

    @ParameterizedTest
    @EnumSource(TestBackend.class)
    void shouldGiveUpAfterTheWaitRunsOut(TestBackend backend) {
        try (TestDatabase database = openWithItems(backend); Handle holder = lockedBy(database, 2)) {
            database.jdbi().useTransaction(handle ->
                    assertThatThrownBy(() -> ITEMS.waitAtMost(Duration.ofMillis(300)).lock(handle, List.of(1, 2)))
                            .isInstanceOfSatisfying(RowLocksUnavailableException.class, unavailable ->
                                    assertThat(unavailable.key()).isEqualTo(2)));
            holder.rollback();
        }
    }

    @ParameterizedTest
    @EnumSource(TestBackend.class)
    void shouldLockFreeRowsWithinTheWait(TestBackend backend) {
        try (TestDatabase database = openWithItems(backend)) {
            List<Integer> locked = database.jdbi().inTransaction(handle ->
                    ITEMS.waitAtMost(Duration.ofMillis(1500)).lock(handle, List.of(2, 1)));
            assertThat(locked).containsExactly(1, 2);
        }
    }

    @Test
    void shouldPutPostgresLockTimeoutBackAfterAWaitThatSucceeded() {
        try (TestDatabase database = openWithItems(TestBackend.POSTGRESQL)) {
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

    private static TestDatabase openWithItems(TestBackend backend) {
        TestDatabase database = backend.open(RowLocksTest.class);
        database.execute("CREATE TABLE items (id INT PRIMARY KEY, name VARCHAR(20))",
                "INSERT INTO items (id, name) VALUES (1, 'one'), (2, 'two'), (3, 'three')");
        return database;
    }

    /** A second connection holding the row lock of {@code id} in an open transaction. */
    private static Handle lockedBy(TestDatabase database, int id) {
        Handle holder = database.jdbi().open();
        holder.begin();
        holder.createQuery("SELECT id FROM items WHERE id = :id FOR UPDATE").bind("id", id).mapTo(Integer.class).one();
        return holder;
    }
}
