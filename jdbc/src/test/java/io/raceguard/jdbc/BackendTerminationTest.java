package io.raceguard.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.github.resilience4j.retry.event.RetryEvent;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A money transfer through {@link Transactions} whose own database session is killed from a second
 * session ({@code pg_terminate_backend}, MariaDB's {@code KILL CONNECTION}) at each point of the
 * transaction in turn. Each call either commits once or fails with a clear exception; no call is
 * half-applied or applied twice, and the money is conserved throughout.
 */
final class BackendTerminationTest {

    private static final OpenDatabases DATABASES = new OpenDatabases(BackendTerminationTest.class);
    private static final long OPENING_BALANCE = 1_000;
    private static final long AMOUNT = 10;
    private static final int TRIALS_PER_POINT = 5;

    /** Where in the transfer the session dies. */
    private enum KillPoint {
        BEFORE_THE_DEBIT,
        BETWEEN_DEBIT_AND_CREDIT,
        JUST_BEFORE_COMMIT
    }

    @AfterAll
    static void dropDatabases() {
        DATABASES.close();
    }

    @ParameterizedTest
    @EnumSource(value = DatabaseKind.class, names = {"POSTGRESQL", "MARIADB"})
    void naiveAutocommitTransferShouldLoseMoneyWhenKilledBetweenDebitAndCredit(DatabaseKind kind) throws Exception {
        TestDatabase database = DATABASES.get(kind);
        createAccounts(database, "naive_accounts");

        Throwable failure = catchThrowable(() -> database.jdbi().useHandle(handle ->
                transfer(handle, "naive_accounts", KillPoint.BETWEEN_DEBIT_AND_CREDIT, database)));

        assertThat(failure).isInstanceOf(UnableToExecuteStatementException.class);
        assertThat(balances(database, "naive_accounts"))
                .as("the debit stayed, the credit never came: money lost")
                .containsExactly(OPENING_BALANCE - AMOUNT, OPENING_BALANCE);
    }

    @ParameterizedTest
    @EnumSource(value = DatabaseKind.class, names = {"POSTGRESQL", "MARIADB"})
    void shouldCommitOnceOrFailClearlyWhereverTheSessionIsKilled(DatabaseKind kind) throws Exception {
        TestDatabase database = DATABASES.get(kind);
        createAccounts(database, "accounts");
        Transactions transactions = Transactions.builder(database.jdbi()).build();
        List<RetryEvent> events = new CopyOnWriteArrayList<>();
        transactions.retry().getEventPublisher().onEvent(events::add);
        long committed = 0;

        for (int trial = 0; trial < TRIALS_PER_POINT * KillPoint.values().length; trial++) {
            KillPoint point = KillPoint.values()[trial % KillPoint.values().length];
            AtomicInteger attempts = new AtomicInteger();

            Throwable failure = catchThrowable(() -> transactions.inTransaction(handle -> {
                attempts.incrementAndGet();
                return transfer(handle, "accounts", point, database);
            }));

            assertThat(attempts).as("%s: a lost connection is never retried", point).hasValue(1);
            if (point == KillPoint.JUST_BEFORE_COMMIT) {
                assertThat(failure).as(point.name()).isInstanceOf(CommitOutcomeUnknownException.class);
            } else {
                assertThat(failure).as(point.name()).isInstanceOf(UnableToExecuteStatementException.class);
                assertThat(((SQLException) failure.getCause()).getSQLState())
                        .as("%s: the driver reports a lost connection (class 08, or PostgreSQL's 57P01)", point)
                        .matches("08...|57P01");
            }
            assertThat(balances(database, "accounts")).as("%s: nothing of the killed transfer applied", point)
                    .containsExactly(OPENING_BALANCE - committed * AMOUNT, OPENING_BALANCE + committed * AMOUNT);

            transactions.inTransaction(handle -> transfer(handle, "accounts", null, database));
            committed++;
            assertThat(balances(database, "accounts")).as("the next transfer, on a fresh session, applied once")
                    .containsExactly(OPENING_BALANCE - committed * AMOUNT, OPENING_BALANCE + committed * AMOUNT);
        }
        assertThat(events).as("no attempt was retried").isEmpty();
    }

    /**
     * Debits account 1 and credits account 2, killing the handle's own session at {@code killPoint}
     * (never, if null).
     */
    private static Void transfer(Handle handle, String table, KillPoint killPoint, TestDatabase database)
            throws SQLException, InterruptedException {
        long session = SessionKiller.sessionOf(handle);
        killAt(KillPoint.BEFORE_THE_DEBIT, killPoint, database, session);
        handle.execute("UPDATE " + table + " SET balance = balance - ? WHERE id = 1", AMOUNT);
        killAt(KillPoint.BETWEEN_DEBIT_AND_CREDIT, killPoint, database, session);
        handle.execute("UPDATE " + table + " SET balance = balance + ? WHERE id = 2", AMOUNT);
        killAt(KillPoint.JUST_BEFORE_COMMIT, killPoint, database, session);
        return null;
    }

    private static void killAt(KillPoint here, KillPoint killPoint, TestDatabase database, long session)
            throws SQLException, InterruptedException {
        if (here == killPoint) {
            SessionKiller.kill(database, session);
        }
    }

    private static void createAccounts(TestDatabase database, String table) {
        TwoAccounts.create(database.jdbi(), table, OPENING_BALANCE, OPENING_BALANCE);
    }

    private static List<Long> balances(TestDatabase database, String table) {
        return TwoAccounts.balances(database.jdbi(), table);
    }
}
