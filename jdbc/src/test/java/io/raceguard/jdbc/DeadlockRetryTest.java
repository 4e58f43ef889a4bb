package io.raceguard.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.resilience4j.retry.event.RetryEvent;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import org.jdbi.v3.core.Handle;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Two transfers in opposite directions, each debiting its own account first and then, once both
 * hold their first row lock (a latch makes sure), crediting the other's: a real lock cycle, which the
 * database breaks by failing one of them with a deadlock. Plain Jdbi leaves that transfer undone;
 * {@link Transactions} runs it again until both have committed.
 */
final class DeadlockRetryTest {

    private static final OpenDatabases DATABASES = new OpenDatabases(DeadlockRetryTest.class);
    private static final int A = 1;
    private static final int B = 2;
    private static final long OPENING_BALANCE = 1_000;
    private static final long A_TO_B = 10;
    private static final long B_TO_A = 25;
    private static final int ROUNDS = 3;

    @AfterAll
    static void dropDatabases() {
        DATABASES.close();
    }

    @ParameterizedTest
    @EnumSource(value = DatabaseKind.class, names = {"POSTGRESQL", "MARIADB"})
    void naivePlainTransactionsShouldLoseOneTransferToTheDeadlock(DatabaseKind kind) throws Exception {
        TestDatabase database = DATABASES.get(kind);
        createAccounts(database);
        CountDownLatch bothDebited = new CountDownLatch(2);

        List<SqlFailure> failures = StartGate.runTogether(2, i -> () -> {
            try {
                database.jdbi().useTransaction(handle -> crossingTransfer(handle, i, bothDebited));
                return null;
            } catch (RuntimeException failure) {
                return SqlFailure.classify(failure);
            }
        });

        assertThat(failures).as("one transfer is the deadlock's victim and is simply lost")
                .filteredOn(failure -> failure != null).singleElement().isInstanceOf(SqlFailure.Deadlock.class);
        assertThat(balances(database)).as("only the survivor applied")
                .isIn(List.of(OPENING_BALANCE - A_TO_B, OPENING_BALANCE + A_TO_B),
                        List.of(OPENING_BALANCE + B_TO_A, OPENING_BALANCE - B_TO_A));
    }

    @ParameterizedTest
    @EnumSource(value = DatabaseKind.class, names = {"POSTGRESQL", "MARIADB"})
    void shouldRetryTheDeadlockVictimUntilBothTransfersCommit(DatabaseKind kind) throws Exception {
        TestDatabase database = DATABASES.get(kind);
        Transactions transactions = Transactions.builder(database.jdbi())
                .maxAttempts(20)
                .maxElapsed(Duration.ofSeconds(60))
                .build();
        List<RetryEvent> events = new CopyOnWriteArrayList<>();
        transactions.retry().getEventPublisher().onEvent(events::add);

        for (int round = 1; round <= ROUNDS; round++) {
            createAccounts(database);
            events.clear();
            CountDownLatch bothDebited = new CountDownLatch(2);

            List<Boolean> committed = StartGate.runTogether(2, i -> () ->
                    transactions.inTransaction(handle -> crossingTransfer(handle, i, bothDebited)));

            assertThat(committed).as("round %d: both transfers committed", round).containsExactly(true, true);
            assertThat(balances(database)).as("round %d: each applied exactly once", round).containsExactly(
                    OPENING_BALANCE - A_TO_B + B_TO_A, OPENING_BALANCE + A_TO_B - B_TO_A);
            assertThat(events).as("round %d: the deadlock was met and retried", round)
                    .anySatisfy(event -> {
                        assertThat(event.getEventType()).isEqualTo(RetryEvent.Type.RETRY);
                        assertThat(SqlFailure.classify(event.getLastThrowable()))
                                .isInstanceOf(SqlFailure.Deadlock.class);
                    });
        }
    }

    /**
     * Transfer 0 moves money from A to B, transfer 1 from B to A; each debits first, waits until both
     * have debited (on its first attempt; the latch is spent afterwards), then credits.
     */
    private static boolean crossingTransfer(Handle handle, int transfer, CountDownLatch bothDebited)
            throws InterruptedException {
        int from = transfer == 0 ? A : B;
        int to = transfer == 0 ? B : A;
        long amount = transfer == 0 ? A_TO_B : B_TO_A;
        handle.execute("UPDATE deadlock_accounts SET balance = balance - ? WHERE id = ?", amount, from);
        StartGate.awaitAll(bothDebited);
        handle.execute("UPDATE deadlock_accounts SET balance = balance + ? WHERE id = ?", amount, to);
        return true;
    }

    private static void createAccounts(TestDatabase database) {
        TwoAccounts.create(database.jdbi(), "deadlock_accounts", OPENING_BALANCE, OPENING_BALANCE);
    }

    /** @return the balances of A and B, in that order */
    private static List<Long> balances(TestDatabase database) {
        return TwoAccounts.balances(database.jdbi(), "deadlock_accounts");
    }
}
