package io.raceguard.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.github.resilience4j.retry.RetryConfig;
import io.github.resilience4j.retry.event.RetryEvent;
import io.raceguard.testing.ManualTicker;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;
import org.jdbi.v3.core.transaction.TransactionException;
import org.jdbi.v3.core.transaction.TransactionIsolationLevel;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@link Transactions} on real databases. H2 is left out of the concurrency claims: its SERIALIZABLE
 * does not detect write skew, so it cannot make read-then-write transfers safe.
 */
final class TransactionsTest {

    private static final OpenDatabases DATABASES = new OpenDatabases(TransactionsTest.class);
    private static final long OPENING_BALANCE = 200;

    @AfterAll
    static void dropDatabases() {
        DATABASES.close();
    }

    @ParameterizedTest
    @EnumSource(value = DatabaseKind.class, names = {"POSTGRESQL", "MARIADB"})
    void naiveReadThenWriteTransfersShouldLoseMoney(DatabaseKind kind) throws Exception {
        TestDatabase database = DATABASES.get(kind);
        createAccounts(database, "naive_accounts");
        CountDownLatch allRead = new CountDownLatch(5);

        List<Boolean> moved = StartGate.runTogether(5, i -> () -> database.jdbi().inTransaction(
                TransactionIsolationLevel.READ_COMMITTED,
                handle -> transfer(handle, "naive_accounts", 1, 2, 100, allRead, 1)));

        assertThat(moved).as("every transfer saw $200 and went through").containsOnly(true);
        assertThat(balance(database, "naive_accounts", 1)).isEqualTo(100);
        assertThat(total(database, "naive_accounts")).as("money was created").isEqualTo(600);
    }

    @ParameterizedTest
    @EnumSource(value = DatabaseKind.class, names = {"POSTGRESQL", "MARIADB"})
    void shouldLetExactlyTwoOfFiveHundredDollarTransfersFromTwoHundredDollarsThrough(DatabaseKind kind)
            throws Exception {
        TestDatabase database = DATABASES.get(kind);
        createAccounts(database, "guarded_accounts");
        Transactions transactions = patientTransactions(database);
        List<RetryEvent> events = recordEvents(transactions);
        CountDownLatch allRead = new CountDownLatch(5);

        List<Boolean> moved = StartGate.runTogether(5, i -> () -> {
            AtomicInteger attempt = new AtomicInteger();
            return transactions.inTransaction(handle ->
                    transfer(handle, "guarded_accounts", 1, 2, 100, allRead, attempt.incrementAndGet()));
        });

        assertThat(moved).filteredOn(Boolean::booleanValue).hasSize(2);
        assertThat(balance(database, "guarded_accounts", 1)).isZero();
        assertThat(total(database, "guarded_accounts")).isEqualTo(OPENING_BALANCE);
        assertThat(events).as("the overlapping first attempts conflicted and were retried")
                .anyMatch(event -> event.getEventType() == RetryEvent.Type.RETRY);
    }

    @ParameterizedTest
    @EnumSource(value = DatabaseKind.class, names = {"POSTGRESQL", "MARIADB"})
    void shouldCompleteOpposingTransfersThroughRetries(DatabaseKind kind) throws Exception {
        TestDatabase database = DATABASES.get(kind);
        createAccounts(database, "opposing_accounts");
        database.execute("UPDATE opposing_accounts SET balance = 1000");
        Transactions transactions = patientTransactions(database);
        List<RetryEvent> events = recordEvents(transactions);
        CountDownLatch allRead = new CountDownLatch(8);
        List<Callable<Boolean>> transfers = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            int from = i % 2 == 0 ? 1 : 2;
            transfers.add(() -> {
                AtomicInteger attempt = new AtomicInteger();
                return transactions.inTransaction(handle -> transfer(
                        handle, "opposing_accounts", from, 3 - from, 10, allRead, attempt.incrementAndGet()));
            });
        }

        List<Boolean> moved = StartGate.runTogether(transfers.size(), transfers::get);

        assertThat(moved).containsOnly(true).hasSize(8);
        assertThat(balance(database, "opposing_accounts", 1)).isEqualTo(1000);
        assertThat(balance(database, "opposing_accounts", 2)).isEqualTo(1000);
        assertThat(events).anyMatch(event -> event.getEventType() == RetryEvent.Type.RETRY);
    }

    @ParameterizedTest
    @EnumSource(value = DatabaseKind.class, names = "POSTGRESQL")
    void shouldRetryASerializationFailureRaisedAtCommit(DatabaseKind kind) throws Exception {
        TestDatabase database = DATABASES.get(kind);
        createTwoRows(database, "commit_skew");
        Transactions transactions = Transactions.builder(database.jdbi()).build();
        List<RetryEvent> events = recordEvents(transactions);
        AtomicInteger attempts = new AtomicInteger();
        List<Connection> interferers = new CopyOnWriteArrayList<>();

        try {
            transactions.inTransaction(handle -> {
                int attempt = attempts.incrementAndGet();
                handle.select("SELECT SUM(v) FROM commit_skew").mapTo(Long.class).one();
                Connection interferer = null;
                if (attempt == 1) {
                    // A concurrent transaction reads the same rows and writes the other row: write skew.
                    interferer = database.connect();
                    interferers.add(interferer);
                    interferer.setTransactionIsolation(Connection.TRANSACTION_SERIALIZABLE);
                    interferer.setAutoCommit(false);
                    execute(interferer, "SELECT SUM(v) FROM commit_skew");
                    execute(interferer, "UPDATE commit_skew SET v = v + 1 WHERE id = 1");
                }
                handle.execute("UPDATE commit_skew SET v = v + 1 WHERE id = 2");
                if (interferer != null) {
                    interferer.commit();
                }
                return null;
            });
        } finally {
            for (Connection interferer : interferers) {
                interferer.close();
            }
        }

        assertThat(attempts).hasValue(2);
        assertThat(events).filteredOn(event -> event.getEventType() == RetryEvent.Type.RETRY)
                .singleElement()
                .satisfies(event -> {
                    assertThat(event.getLastThrowable()).as("failed at COMMIT")
                            .isInstanceOf(TransactionException.class);
                    assertThat(SqlFailure.classify(event.getLastThrowable()))
                            .isInstanceOf(SqlFailure.SerializationConflict.class);
                });
        assertThat(rowValues(database, "commit_skew")).containsExactly(1L, 1L);
    }

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void shouldRefuseANestedCallAndRollTheOuterTransactionBack(DatabaseKind kind) throws Exception {
        TestDatabase database = DATABASES.get(kind);
        createTwoRows(database, "nested_rows");
        Transactions transactions = Transactions.builder(database.jdbi()).build();
        Transactions other = Transactions.builder(database.jdbi()).build();
        AtomicInteger attempts = new AtomicInteger();

        Throwable failure = catchThrowable(() -> transactions.inTransaction(handle -> {
            attempts.incrementAndGet();
            handle.execute("UPDATE nested_rows SET v = 7 WHERE id = 1");
            assertThatThrownBy(() -> other.inTransaction(inner -> 1)).isInstanceOf(IllegalStateException.class);
            return transactions.readOnly(inner -> 1);
        }));

        assertThat(failure).isInstanceOf(IllegalStateException.class).hasMessageContaining("nested");
        assertThat(attempts).hasValue(1);
        assertThat(rowValues(database, "nested_rows")).containsExactly(0L, 0L);
        assertThat(transactions.<Integer, RuntimeException>inTransaction(handle -> 2)).as("usable again afterwards")
                .isEqualTo(2);
    }

    @ParameterizedTest
    @EnumSource(value = DatabaseKind.class, names = {"POSTGRESQL", "MARIADB"})
    void shouldStopAfterMaxAttempts(DatabaseKind kind) throws Exception {
        TestDatabase database = DATABASES.get(kind);
        createTwoRows(database, "attempt_rows");
        Transactions transactions = conflictProneBuilder(database).maxAttempts(3).build();
        List<RetryEvent> events = recordEvents(transactions);
        AtomicInteger attempts = new AtomicInteger();

        Throwable failure = catchThrowable(() -> transactions.inTransaction(handle -> {
            attempts.incrementAndGet();
            conflictWithAConcurrentUpdate(database, handle, "attempt_rows");
            return null;
        }));

        assertThat(SqlFailure.classify(failure)).isInstanceOf(SqlFailure.SerializationConflict.class);
        assertThat(failure).isInstanceOf(UnableToExecuteStatementException.class);
        assertThat(attempts).hasValue(3);
        assertThat(events).extracting(RetryEvent::getEventType)
                .containsExactly(RetryEvent.Type.RETRY, RetryEvent.Type.RETRY, RetryEvent.Type.ERROR);
        assertThat(transactions.retry().getMetrics().getNumberOfFailedCallsWithRetryAttempt()).isEqualTo(1);
    }

    @ParameterizedTest
    @EnumSource(value = DatabaseKind.class, names = {"POSTGRESQL", "MARIADB"})
    void shouldStopWhenTheTimeBudgetIsSpent(DatabaseKind kind) throws Exception {
        TestDatabase database = DATABASES.get(kind);
        createTwoRows(database, "budget_rows");
        ManualTicker ticker = new ManualTicker();
        Transactions transactions = conflictProneBuilder(database)
                .maxAttempts(100)
                .maxElapsed(Duration.ofSeconds(10))
                .backoff(Duration.ofMillis(1), Duration.ofMillis(1))
                .ticker(ticker)
                .build();
        List<RetryEvent> events = recordEvents(transactions);
        AtomicInteger attempts = new AtomicInteger();

        Throwable failure = catchThrowable(() -> transactions.inTransaction(handle -> {
            attempts.incrementAndGet();
            ticker.advance(Duration.ofSeconds(4));
            conflictWithAConcurrentUpdate(database, handle, "budget_rows");
            return null;
        }));

        assertThat(SqlFailure.classify(failure)).isInstanceOf(SqlFailure.SerializationConflict.class);
        assertThat(attempts).as("attempts began at 0 s, 4 s and 8 s; at 12 s the budget was spent").hasValue(3);
        assertThat(events).extracting(RetryEvent::getEventType)
                .containsExactly(RetryEvent.Type.RETRY, RetryEvent.Type.RETRY, RetryEvent.Type.ERROR);
    }

    @ParameterizedTest
    @EnumSource(value = DatabaseKind.class, names = "POSTGRESQL")
    void shouldLetAnOwnRetryConfigDecideTheAttemptsButNotWhichFailuresAreRetried(DatabaseKind kind)
            throws Exception {
        TestDatabase database = DATABASES.get(kind);
        createTwoRows(database, "own_config_rows");
        // resilience4j's default predicate retries every exception.
        Transactions transactions = Transactions.builder(database.jdbi())
                .retryConfig(RetryConfig.custom().maxAttempts(2).waitDuration(Duration.ofMillis(1)).build())
                .build();
        AtomicInteger conflictAttempts = new AtomicInteger();
        AtomicInteger ownFailureAttempts = new AtomicInteger();

        Throwable conflict = catchThrowable(() -> transactions.inTransaction(handle -> {
            conflictAttempts.incrementAndGet();
            conflictWithAConcurrentUpdate(database, handle, "own_config_rows");
            return null;
        }));
        Throwable own = catchThrowable(() -> transactions.inTransaction(handle -> {
            ownFailureAttempts.incrementAndGet();
            throw new IOException("not a database failure");
        }));

        assertThat(SqlFailure.classify(conflict)).isInstanceOf(SqlFailure.SerializationConflict.class);
        assertThat(conflictAttempts).hasValue(2);
        assertThat(own).isInstanceOf(IOException.class);
        assertThat(ownFailureAttempts).hasValue(1);
    }

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void shouldRethrowTheCallbacksOwnExceptionAtOnceAndRollBack(DatabaseKind kind) throws Exception {
        TestDatabase database = DATABASES.get(kind);
        createTwoRows(database, "own_failure_rows");
        Transactions transactions = Transactions.builder(database.jdbi()).build();
        List<RetryEvent> events = recordEvents(transactions);
        IOException own = new IOException("the payment provider said no");
        AtomicInteger attempts = new AtomicInteger();

        Throwable failure = catchThrowable(() -> transactions.inTransaction(handle -> {
            attempts.incrementAndGet();
            handle.execute("UPDATE own_failure_rows SET v = 5 WHERE id = 1");
            throw own;
        }));

        assertThat(failure).isSameAs(own);
        assertThat(attempts).hasValue(1);
        assertThat(events).isEmpty();
        assertThat(rowValues(database, "own_failure_rows")).containsExactly(0L, 0L);
    }

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void shouldNotRetryADuplicate(DatabaseKind kind) throws Exception {
        TestDatabase database = DATABASES.get(kind);
        createTwoRows(database, "duplicate_rows");
        Transactions transactions = Transactions.builder(database.jdbi()).build();
        AtomicInteger attempts = new AtomicInteger();

        Throwable failure = catchThrowable(() -> transactions.inTransaction(handle -> {
            attempts.incrementAndGet();
            return handle.execute("INSERT INTO duplicate_rows VALUES (1, 9)");
        }));

        assertThat(SqlFailure.classify(failure)).isInstanceOf(SqlFailure.UniqueViolation.class);
        assertThat(attempts).hasValue(1);
    }

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void shouldRetryLockTimeoutsOnlyWhenAskedTo(DatabaseKind kind) throws Exception {
        TestDatabase database = DATABASES.get(kind);
        createTwoRows(database, "lock_rows");
        try (Connection holder = database.connect()) {
            holder.setAutoCommit(false);
            execute(holder, "UPDATE lock_rows SET v = v + 1 WHERE id = 1");
            AtomicInteger attempts = new AtomicInteger();

            Throwable failure = catchThrowable(() -> Transactions.builder(database.jdbi()).build()
                    .inTransaction(handle -> {
                        attempts.incrementAndGet();
                        return updateWithShortLockTimeout(kind, handle, "lock_rows");
                    }));
            assertThat(SqlFailure.classify(failure)).isInstanceOf(SqlFailure.LockTimeout.class);
            assertThat(attempts).hasValue(1);

            attempts.set(0);
            int updated = Transactions.builder(database.jdbi()).retryLockTimeouts().build().inTransaction(handle -> {
                if (attempts.incrementAndGet() == 2) {
                    holder.rollback();
                }
                return updateWithShortLockTimeout(kind, handle, "lock_rows");
            });
            assertThat(updated).isEqualTo(1);
            assertThat(attempts).hasValue(2);
        }
    }

    @ParameterizedTest
    @EnumSource(value = DatabaseKind.class, names = {"POSTGRESQL", "MARIADB"})
    void shouldReportAnUnknownOutcomeWhenTheConnectionIsLostWhileCommitting(DatabaseKind kind) throws Exception {
        TestDatabase database = DATABASES.get(kind);
        createTwoRows(database, "unknown_rows");
        Transactions transactions = Transactions.builder(database.jdbi()).build();
        List<RetryEvent> events = recordEvents(transactions);
        AtomicInteger attempts = new AtomicInteger();

        Throwable failure = catchThrowable(() -> transactions.inTransaction(handle -> {
            attempts.incrementAndGet();
            handle.execute("UPDATE unknown_rows SET v = 100 WHERE id = 1");
            SessionKiller.kill(database, SessionKiller.sessionOf(handle));
            return null;
        }));

        assertThat(failure).isInstanceOf(CommitOutcomeUnknownException.class)
                .hasCauseInstanceOf(TransactionException.class);
        assertThat(attempts).as("never retried").hasValue(1);
        assertThat(events).isEmpty();
        // Here the server died before it saw the COMMIT, so nothing was applied; the client cannot know that.
        assertThat(rowValues(database, "unknown_rows")).containsExactly(0L, 0L);
    }

    @ParameterizedTest
    @EnumSource(value = DatabaseKind.class, names = "POSTGRESQL")
    void shouldRunReadOnlyWorkAsSerializableReadOnlyDeferrableOnPostgres(DatabaseKind kind) throws Exception {
        TestDatabase database = DATABASES.get(kind);
        createTwoRows(database, "read_only_rows");
        Transactions transactions = Transactions.builder(database.jdbi()).build();
        AtomicInteger attempts = new AtomicInteger();

        List<String> settings = transactions.readOnly(handle -> List.of(
                handle.select("SHOW transaction_isolation").mapTo(String.class).one(),
                handle.select("SHOW transaction_read_only").mapTo(String.class).one(),
                handle.select("SHOW transaction_deferrable").mapTo(String.class).one()));
        Throwable write = catchThrowable(() -> transactions.readOnly(handle -> {
            attempts.incrementAndGet();
            return handle.execute("UPDATE read_only_rows SET v = 1");
        }));

        assertThat(settings).containsExactly("serializable", "on", "on");
        assertThat(write).isInstanceOf(UnableToExecuteStatementException.class);
        assertThat(((SQLException) write.getCause()).getSQLState()).isEqualTo("25006");
        assertThat(attempts).hasValue(1);
        assertThat(rowValues(database, "read_only_rows")).containsExactly(0L, 0L);
    }

    @ParameterizedTest
    @EnumSource(value = DatabaseKind.class, names = {"H2", "MARIADB"})
    void shouldRunReadOnlyWorkElsewhereToo(DatabaseKind kind) throws Exception {
        TestDatabase database = DATABASES.get(kind);
        createTwoRows(database, "read_only_rows");

        long sum = Transactions.builder(database.jdbi()).build()
                .readOnly(handle -> handle.select("SELECT SUM(v) + 2 FROM read_only_rows").mapTo(Long.class).one());

        assertThat(sum).isEqualTo(2);
    }

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void shouldRefuseACallbackThatEndsTheTransactionItself(DatabaseKind kind) throws Exception {
        TestDatabase database = DATABASES.get(kind);
        createTwoRows(database, "self_commit_rows");

        assertThatThrownBy(() -> Transactions.builder(database.jdbi()).build().inTransaction(handle -> {
            handle.execute("UPDATE self_commit_rows SET v = 3 WHERE id = 1");
            return handle.commit();
        })).isInstanceOf(IllegalStateException.class).hasMessageContaining("ended the transaction");
    }

    /**
     * The transfer of the examples: read the balance, decide, write the computed balance. Safe only
     * when the database serializes it. The first attempt waits until every transfer has read, so that
     * the transactions surely overlap.
     */
    private static boolean transfer(Handle handle, String table, int from, int to, long amount,
            CountDownLatch allRead, int attempt) throws InterruptedException {
        long balance = handle.select("SELECT balance FROM " + table + " WHERE id = ?", from).mapTo(Long.class).one();
        if (attempt == 1) {
            allRead.countDown();
            if (!allRead.await(30, TimeUnit.SECONDS)) {
                throw new AssertionError("the transfers did not all read");
            }
        }
        if (balance < amount) {
            return false;
        }
        handle.execute("UPDATE " + table + " SET balance = ? WHERE id = ?", balance - amount, from);
        handle.execute("UPDATE " + table + " SET balance = balance + ? WHERE id = ?", amount, to);
        return true;
    }

    private static Transactions patientTransactions(TestDatabase database) {
        return Transactions.builder(database.jdbi())
                .maxAttempts(100)
                .maxElapsed(Duration.ofSeconds(60))
                .backoff(Duration.ofMillis(5), Duration.ofMillis(200))
                .build();
    }

    /** On MariaDB a serialization failure needs snapshot isolation, which works under REPEATABLE READ. */
    private static Transactions.Builder conflictProneBuilder(TestDatabase database) {
        Transactions.Builder builder = Transactions.builder(database.jdbi());
        return database.kind() == DatabaseKind.MARIADB
                ? builder.isolation(TransactionIsolationLevel.REPEATABLE_READ)
                : builder;
    }

    /** Reads row 1, lets another connection change it, then updates it: a real serialization failure. */
    private static void conflictWithAConcurrentUpdate(TestDatabase database, Handle handle, String table)
            throws SQLException {
        if (database.kind() == DatabaseKind.MARIADB) {
            handle.execute("SET SESSION innodb_snapshot_isolation = ON");
        }
        handle.select("SELECT v FROM " + table + " WHERE id = 1").mapTo(Long.class).one();
        database.execute("UPDATE " + table + " SET v = v + 1 WHERE id = 1");
        handle.execute("UPDATE " + table + " SET v = v + 1 WHERE id = 1");
    }

    private static int updateWithShortLockTimeout(DatabaseKind kind, Handle handle, String table) {
        handle.execute(switch (kind) {
            case POSTGRESQL -> "SET LOCAL lock_timeout = '100ms'";
            case MARIADB -> "SET SESSION innodb_lock_wait_timeout = 1";
            case H2 -> "SET LOCK_TIMEOUT 100";
        });
        return handle.execute("UPDATE " + table + " SET v = v + 10 WHERE id = 1");
    }

    private static List<RetryEvent> recordEvents(Transactions transactions) {
        List<RetryEvent> events = new CopyOnWriteArrayList<>();
        transactions.retry().getEventPublisher().onEvent(events::add);
        return events;
    }

    private static void createAccounts(TestDatabase database, String table) {
        TwoAccounts.create(database.jdbi(), table, OPENING_BALANCE, 0);
    }

    private static void createTwoRows(TestDatabase database, String table) throws SQLException {
        database.execute(
                "DROP TABLE IF EXISTS " + table,
                "CREATE TABLE " + table + " (id INT PRIMARY KEY, v BIGINT NOT NULL)",
                "INSERT INTO " + table + " VALUES (1, 0), (2, 0)");
    }

    private static long balance(TestDatabase database, String table, int id) {
        return database.jdbi().withHandle(handle ->
                handle.select("SELECT balance FROM " + table + " WHERE id = ?", id).mapTo(Long.class).one());
    }

    private static long total(TestDatabase database, String table) {
        return database.jdbi().withHandle(handle ->
                handle.select("SELECT SUM(balance) FROM " + table).mapTo(Long.class).one());
    }

    private static List<Long> rowValues(TestDatabase database, String table) {
        return database.jdbi().withHandle(handle ->
                handle.select("SELECT v FROM " + table + " ORDER BY id").mapTo(Long.class).list());
    }

    private static void execute(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }
}
