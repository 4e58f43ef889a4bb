package io.raceguard.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.raceguard.Outcome;
import io.raceguard.Rejection;
import io.raceguard.testsupport.IsolatedDatabase;
import io.raceguard.testsupport.TestServices;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.function.Consumer;
import java.util.function.Function;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

final class GuardedUpdatesTest {

    private static final GuardedUpdates ACCOUNTS = GuardedUpdates.on("accounts", "id");

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void shouldTellAMissingRowFromAFailedCondition(DatabaseKind kind) {
        withAccounts(kind, jdbi -> {
            assertThat(apply(jdbi, ACCOUNTS.decrement("balance", 10), "nobody"))
                    .isEqualTo(Outcome.rejected(Rejection.NOT_FOUND));
            assertThat(apply(jdbi, ACCOUNTS.decrement("balance", 101), "A"))
                    .isEqualTo(Outcome.rejected(Rejection.CONDITION_FAILED));
            assertThat(apply(jdbi, ACCOUNTS.decrement("balance", 100), "A")).isEqualTo(Outcome.applied(0L));
            assertThat(apply(jdbi, ACCOUNTS.decrement("balance", 1), "A"))
                    .isEqualTo(Outcome.rejected(Rejection.CONDITION_FAILED));
        });
    }

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void shouldKeepADecrementAboveItsFloorAndAnIncrementBelowItsCeiling(DatabaseKind kind) {
        withAccounts(kind, jdbi -> {
            assertThat(apply(jdbi, ACCOUNTS.decrement("balance", 60, 50), "A"))
                    .isEqualTo(Outcome.rejected(Rejection.CONDITION_FAILED));
            assertThat(apply(jdbi, ACCOUNTS.decrement("balance", 50, 50), "A")).isEqualTo(Outcome.applied(50L));
            assertThat(apply(jdbi, ACCOUNTS.increment("balance", 51, 100), "A"))
                    .isEqualTo(Outcome.rejected(Rejection.CONDITION_FAILED));
            assertThat(apply(jdbi, ACCOUNTS.increment("balance", 50, 100), "A")).isEqualTo(Outcome.applied(100L));
            assertThat(apply(jdbi, ACCOUNTS.increment("balance", 1, "version"), "A"))
                    .isEqualTo(Outcome.rejected(Rejection.CONDITION_FAILED));
        });
    }

    /** One change, built once and first used by twenty threads at once, as a shared constant would be. */
    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void shouldLetOneSharedChangeBeUsedByManyThreadsFromItsFirstCall(DatabaseKind kind) throws Exception {
        GuardedUpdates.Change<Long> debit = ACCOUNTS.decrement("balance", 10);
        try (TestDatabase database = kind.open(GuardedUpdatesTest.class)) {
            createAccounts(database);

            List<Outcome<Long>> outcomes = StartGate.runTogether(20, i -> () -> apply(database.jdbi(), debit, "A"));

            assertThat(outcomes).filteredOn(Outcome::isApplied).hasSize(10);
            assertThat(outcomes).filteredOn(outcome -> !outcome.isApplied())
                    .extracting(Outcome::rejection).containsOnly(Rejection.CONDITION_FAILED).hasSize(10);
            assertThat(apply(database.jdbi(), debit, "A")).isEqualTo(Outcome.rejected(Rejection.CONDITION_FAILED));
            long balance = database.jdbi()
                    .withHandle(handle -> handle.select("SELECT balance FROM accounts WHERE id = 'A'")
                    .mapTo(Long.class).one());
            assertThat(balance).isZero();
        }
    }

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void shouldCompareAndSetOnlyFromTheExpectedValue(DatabaseKind kind) {
        withAccounts(kind, jdbi -> {
            assertThat(apply(jdbi, ACCOUNTS.compareAndSet("status", "PAID", "SHIPPED"), "A"))
                    .isEqualTo(Outcome.rejected(Rejection.CONDITION_FAILED));
            assertThat(apply(jdbi, ACCOUNTS.compareAndSet("status", "NEW", "PAID"), "A"))
                    .isEqualTo(Outcome.applied("PAID"));
            assertThat(apply(jdbi, ACCOUNTS.compareAndSet("status", "PAID", "PAID"), "A"))
                    .as("a compare-and-set that matches but changes nothing still applies")
                    .isEqualTo(Outcome.applied("PAID"));
            assertThat(apply(jdbi, ACCOUNTS.compareAndSet("status", "NEW", "PAID"), "nobody"))
                    .isEqualTo(Outcome.rejected(Rejection.NOT_FOUND));
        });
    }

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void shouldSetOnlyAtTheExpectedVersionAndMoveTheVersionOn(DatabaseKind kind) {
        withAccounts(kind, jdbi -> {
            assertThat(apply(jdbi, ACCOUNTS.setIfVersion("status", "PAID", "version", 0), "A"))
                    .isEqualTo(Outcome.applied(1L));
            assertThat(apply(jdbi, ACCOUNTS.setIfVersion("status", "LOST", "version", 0), "A"))
                    .isEqualTo(Outcome.rejected(Rejection.CONDITION_FAILED));
            assertThat(apply(jdbi, ACCOUNTS.setIfVersion("status", null, "version", 1), "A"))
                    .isEqualTo(Outcome.applied(2L));
            assertThat(apply(jdbi, ACCOUNTS.setIfVersion("status", "X", "version", 0), "nobody"))
                    .isEqualTo(Outcome.rejected(Rejection.NOT_FOUND));
        });
    }

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void shouldRefuseAFencedWriteWhoseTokenIsNotNewerThanTheRecordedFence(DatabaseKind kind) {
        withAccounts(kind, jdbi -> {
            assertThat(apply(jdbi, ACCOUNTS.fencedSet("status", "holder-5", "fence", 5), "A"))
                    .as("no fence recorded yet").isEqualTo(Outcome.applied("holder-5"));
            assertThat(apply(jdbi, ACCOUNTS.fencedSet("status", "holder-3", "fence", 3), "A"))
                    .isEqualTo(Outcome.rejected(Rejection.STALE_FENCE));
            assertThat(apply(jdbi, ACCOUNTS.fencedSet("status", "holder-5-again", "fence", 5), "A"))
                    .isEqualTo(Outcome.rejected(Rejection.STALE_FENCE));
            assertThat(apply(jdbi, ACCOUNTS.fencedSet("status", "holder-6", "fence", 6), "A"))
                    .isEqualTo(Outcome.applied("holder-6"));
            assertThat(apply(jdbi, ACCOUNTS.fencedSet("status", "holder-7", "fence", 7), "nobody"))
                    .isEqualTo(Outcome.rejected(Rejection.NOT_FOUND));
            assertThat(SeedRaceTest.integer(jdbi, "SELECT fence FROM accounts WHERE id = 'A'")).isEqualTo(6);
        });
    }

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void shouldTellOutcomesApartForTheCallersOwnUpdate(DatabaseKind kind) {
        withAccounts(kind, jdbi -> {
            String debit = "UPDATE accounts SET balance = balance - :amount WHERE id = :id AND balance >= :amount";
            String exists = "SELECT 1 FROM accounts WHERE id = :id FOR UPDATE";
            assertThat(raw(jdbi, handle -> ACCOUNTS.update(handle, "A", debit, Map.of("amount", 30, "id", "A"))))
                    .isEqualTo(Outcome.applied(1));
            assertThat(raw(jdbi, handle -> ACCOUNTS.update(handle, "A", debit, Map.of("amount", 71, "id", "A"))))
                    .isEqualTo(Outcome.rejected(Rejection.CONDITION_FAILED));
            assertThat(raw(jdbi, handle -> ACCOUNTS.update(handle, "zz", debit, Map.of("amount", 1, "id", "zz"))))
                    .isEqualTo(Outcome.rejected(Rejection.NOT_FOUND));
            assertThat(raw(jdbi,
                    handle -> GuardedUpdates.update(handle, debit, Map.of("amount", 70, "id", "A"), exists)))
                    .isEqualTo(Outcome.applied(1));
            assertThat(raw(jdbi,
                    handle -> GuardedUpdates.update(handle, debit, Map.of("amount", 1, "id", "A"), exists)))
                    .isEqualTo(Outcome.rejected(Rejection.CONDITION_FAILED));
            assertThat(raw(jdbi,
                    handle -> GuardedUpdates.update(handle, debit, Map.of("amount", 1, "id", "zz"), exists)))
                    .isEqualTo(Outcome.rejected(Rejection.NOT_FOUND));
            assertThat(SeedRaceTest.balance(jdbi, "A")).isZero();
        });
    }

    /** MariaDB and MySQL count found rows by default and changed rows with useAffectedRows=true: both must work. */
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void shouldGiveTheSameOutcomesOnMariaDbWhetherTheDriverCountsFoundOrChangedRows(boolean useAffectedRows)
            throws Exception {
        try (IsolatedDatabase database = TestServices.mariadb().isolate(GuardedUpdatesTest.class)) {
            Properties credentials = new Properties();
            credentials.setProperty("user", Objects.requireNonNullElse(database.user(), "root"));
            credentials.setProperty("password", Objects.requireNonNullElse(database.password(), ""));
            String separator = database.jdbcUrl().contains("?") ? "&" : "?";
            Jdbi jdbi = Jdbi.create(database.jdbcUrl() + separator + "useAffectedRows=" + useAffectedRows, credentials);
            jdbi.useHandle(handle -> createAccounts(handle));
            int unchangedRowCount = jdbi.withHandle(handle ->
                    handle.execute("UPDATE accounts SET status = status WHERE id = 'A'"));
            assertThat(unchangedRowCount).as("the driver setting is in effect").isEqualTo(useAffectedRows ? 0 : 1);

            assertThat(apply(jdbi, ACCOUNTS.decrement("balance", 40), "A")).isEqualTo(Outcome.applied(60L));
            assertThat(apply(jdbi, ACCOUNTS.decrement("balance", 61), "A"))
                    .isEqualTo(Outcome.rejected(Rejection.CONDITION_FAILED));
            assertThat(apply(jdbi, ACCOUNTS.decrement("balance", 1), "nobody"))
                    .isEqualTo(Outcome.rejected(Rejection.NOT_FOUND));
            assertThat(apply(jdbi, ACCOUNTS.compareAndSet("status", "NEW", "NEW"), "A"))
                    .isEqualTo(Outcome.applied("NEW"));
            assertThat(apply(jdbi, ACCOUNTS.compareAndSet("status", "OLD", "NEW"), "A"))
                    .isEqualTo(Outcome.rejected(Rejection.CONDITION_FAILED));
            assertThat(apply(jdbi, ACCOUNTS.setIfVersion("status", "NEW", "version", 0), "A"))
                    .isEqualTo(Outcome.applied(1L));
            assertThat(apply(jdbi, ACCOUNTS.fencedSet("status", "NEW", "fence", 1), "A"))
                    .isEqualTo(Outcome.applied("NEW"));
            assertThat(apply(jdbi, ACCOUNTS.fencedSet("status", "NEW", "fence", 1), "A"))
                    .isEqualTo(Outcome.rejected(Rejection.STALE_FENCE));
            assertThat(SeedRaceTest.balance(jdbi, "A")).isEqualTo(60);
        }
    }

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void shouldLeaveTheCallersTransactionUsableAfterADuplicate(DatabaseKind kind) throws SQLException {
        try (TestDatabase database = kind.open(GuardedUpdatesTest.class)) {
            createUsers(database);
            GuardedUpdates users = GuardedUpdates.on("users", "id");
            List<Outcome<Long>> outcomes = database.jdbi().inTransaction(handle -> List.of(
                    users.insertIfAbsent(handle, Map.of("email", "a@example.com"), Long.class),
                    users.insertIfAbsent(handle, Map.of("email", "a@example.com"), Long.class),
                    users.insertIfAbsent(handle, Map.of("email", "b@example.com"), Long.class)));

            assertThat(outcomes.get(0).isApplied()).isTrue();
            assertThat(outcomes.get(1)).isEqualTo(Outcome.rejected(Rejection.DUPLICATE,
                    kind == DatabaseKind.H2 ? "USERS_EMAIL_KEY" : "users_email_key"));
            assertThat(outcomes.get(2).isApplied()).isTrue();
            assertThat(outcomes.get(2).value()).isGreaterThan(outcomes.get(0).value());
            assertThat(SeedRaceTest.integer(database.jdbi(), "SELECT COUNT(*) FROM users")).isEqualTo(2);
        }
    }

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void shouldRethrowAFailureThatIsNotADuplicate(DatabaseKind kind) throws SQLException {
        try (TestDatabase database = kind.open(GuardedUpdatesTest.class)) {
            createUsers(database);
            GuardedUpdates users = GuardedUpdates.on("users", "id");
            Map<String, Object> noEmail = new java.util.HashMap<>();
            noEmail.put("email", null);
            assertThatThrownBy(() -> database.jdbi()
                    .useTransaction(handle -> users.insertIfAbsent(handle, noEmail, Long.class)))
                    .satisfies(failure -> assertThat(SqlFailure.classify(failure))
                            .isNotInstanceOf(SqlFailure.UniqueViolation.class));
            assertThat(SeedRaceTest.integer(database.jdbi(), "SELECT COUNT(*) FROM users")).isZero();
        }
    }

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void shouldRejectInjectionAttemptsInIdentifiersBeforeAnyIo(DatabaseKind kind) {
        try (TestDatabase database = kind.open(GuardedUpdatesTest.class)) {
            createAccounts(database);
            Handle closed = database.jdbi().open();
            closed.close();
            for (String attempt : HostileIdentifiers.all()) {
                assertThatThrownBy(() -> GuardedUpdates.on(attempt, "id")).isInstanceOf(IllegalArgumentException.class);
                assertThatThrownBy(() -> GuardedUpdates.on("accounts", attempt))
                        .isInstanceOf(IllegalArgumentException.class);
                assertThatThrownBy(() -> ACCOUNTS.decrement(attempt, 1)).isInstanceOf(IllegalArgumentException.class);
                assertThatThrownBy(() -> ACCOUNTS.increment("balance", 1, attempt))
                        .isInstanceOf(IllegalArgumentException.class);
                assertThatThrownBy(() -> ACCOUNTS.compareAndSet(attempt, "a", "b"))
                        .isInstanceOf(IllegalArgumentException.class);
                assertThatThrownBy(() -> ACCOUNTS.setIfVersion("status", "a", attempt, 0))
                        .isInstanceOf(IllegalArgumentException.class);
                assertThatThrownBy(() -> ACCOUNTS.fencedSet("status", "a", attempt, 0))
                        .isInstanceOf(IllegalArgumentException.class);
                assertThatThrownBy(() -> ACCOUNTS.insertIfAbsent(closed, Map.of(attempt, 1), Long.class))
                        .as("validated before the closed handle is touched")
                                .isInstanceOf(IllegalArgumentException.class);
                assertThatThrownBy(() -> RowLocks.on(attempt, "id")).isInstanceOf(IllegalArgumentException.class);
                assertThatThrownBy(() -> RowLocks.on("accounts", attempt)).isInstanceOf(IllegalArgumentException.class);
            }
            assertThat(SeedRaceTest.balance(database.jdbi(), "A")).as("the table is untouched").isEqualTo(100);
        }
    }

    @Test
    void shouldRejectAmountsAndBoundsThatCannotWork() {
        assertThatThrownBy(() -> ACCOUNTS.decrement("balance", 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ACCOUNTS.increment("balance", -1, 10)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ACCOUNTS.decrement("balance", 2, Long.MAX_VALUE))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ACCOUNTS.increment("balance", 2, Long.MIN_VALUE))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ACCOUNTS.setIfVersion("version", 1, "VERSION", 0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ACCOUNTS.compareAndSet("status", null, "a")).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> ACCOUNTS.insertIfAbsent(null, Map.of("email", "a"), Long.class))
                .isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> GuardedUpdates.update(null, "UPDATE t SET a = 1", Map.of(), " "))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static <T> Outcome<T> apply(Jdbi jdbi, GuardedUpdates.Change<T> change, String key) {
        return jdbi.withHandle(handle -> change.apply(handle, key));
    }

    private static Outcome<Integer> raw(Jdbi jdbi, Function<Handle, Outcome<Integer>> update) {
        return jdbi.withHandle(update::apply);
    }

    private static void withAccounts(DatabaseKind kind, Consumer<Jdbi> test) {
        try (TestDatabase database = kind.open(GuardedUpdatesTest.class)) {
            createAccounts(database);
            test.accept(database.jdbi());
        }
    }

    private static void createAccounts(TestDatabase database) {
        database.jdbi().useHandle(GuardedUpdatesTest::createAccounts);
    }

    private static void createAccounts(Handle handle) {
        handle.execute("CREATE TABLE accounts (id VARCHAR(10) PRIMARY KEY, balance BIGINT NOT NULL,"
                + " status VARCHAR(20), version BIGINT NOT NULL, fence BIGINT)");
        handle.execute("INSERT INTO accounts (id, balance, status, version) VALUES ('A', 100, 'NEW', 0)");
    }

    private static void createUsers(TestDatabase database) throws SQLException {
        String identity = database.kind() == DatabaseKind.MARIADB
                ? "BIGINT AUTO_INCREMENT PRIMARY KEY"
                : "BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY";
        database.execute("CREATE TABLE users (id " + identity + ", email VARCHAR(255) NOT NULL)",
                "CREATE UNIQUE INDEX users_email_key ON users (email)");
    }
}
