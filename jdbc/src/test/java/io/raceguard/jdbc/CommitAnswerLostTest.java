package io.raceguard.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.raceguard.testsupport.IsolatedDatabase;
import io.raceguard.testsupport.TestServices;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The dangerous half of a lost commit: the COMMIT reached the server and committed, and only its
 * answer was lost on the way back (a {@link SeveringProxy} drops it). Re-running the transaction
 * would apply it twice; {@link Transactions} reports the outcome as unknown instead.
 */
final class CommitAnswerLostTest {

    private static final long OPENING_BALANCE = 1_000;
    private static final long AMOUNT = 10;

    @ParameterizedTest
    @EnumSource(value = DatabaseKind.class, names = {"POSTGRESQL", "MARIADB"})
    void naiveRetryOfALostCommitShouldApplyTheTransferTwice(DatabaseKind kind) throws Exception {
        try (IsolatedDatabase database = isolate(kind); SeveringProxy proxy = SeveringProxy.to(database.jdbcUrl())) {
            Jdbi direct = Jdbi.create(database.dataSource());
            createAccounts(direct);
            Jdbi proxied = throughProxy(database, proxy);
            AtomicInteger attempts = new AtomicInteger();

            while (true) {
                try {
                    proxied.useTransaction(handle -> transfer(handle, attempts.incrementAndGet() == 1 ? proxy : null));
                    break;
                } catch (JdbiException lostConnection) {
                    // "The connection broke, so it surely failed: try again."
                    assertThat(attempts).as("only the first attempt loses its answer").hasValue(1);
                }
            }

            assertThat(balances(direct)).as("the first attempt had committed: applied twice")
                    .containsExactly(OPENING_BALANCE - 2 * AMOUNT, OPENING_BALANCE + 2 * AMOUNT);
        }
    }

    @ParameterizedTest
    @EnumSource(value = DatabaseKind.class, names = {"POSTGRESQL", "MARIADB"})
    void shouldReportTheOutcomeUnknownAndNotRetryWhenTheCommitsAnswerIsLost(DatabaseKind kind) throws Exception {
        try (IsolatedDatabase database = isolate(kind); SeveringProxy proxy = SeveringProxy.to(database.jdbcUrl())) {
            Jdbi direct = Jdbi.create(database.dataSource());
            createAccounts(direct);
            Transactions transactions = Transactions.builder(throughProxy(database, proxy)).build();
            AtomicInteger attempts = new AtomicInteger();

            Throwable failure = catchThrowable(() -> transactions.inTransaction(handle -> {
                attempts.incrementAndGet();
                return transfer(handle, proxy);
            }));

            assertThat(failure).isInstanceOf(CommitOutcomeUnknownException.class);
            assertThat(attempts).as("never retried").hasValue(1);
            assertThat(balances(direct)).as("the server had committed it: applied exactly once")
                    .containsExactly(OPENING_BALANCE - AMOUNT, OPENING_BALANCE + AMOUNT);
        }
    }

    /** Moves money from account 1 to 2; if {@code severCommit} is given, the COMMIT's answer is lost. */
    private static Void transfer(Handle handle, SeveringProxy severCommit) {
        handle.execute("UPDATE accounts SET balance = balance - ? WHERE id = 1", AMOUNT);
        handle.execute("UPDATE accounts SET balance = balance + ? WHERE id = 2", AMOUNT);
        if (severCommit != null) {
            // The next request on this connection is the COMMIT.
            severCommit.severAfterNextAnswer();
        }
        return null;
    }

    private static IsolatedDatabase isolate(DatabaseKind kind) {
        return switch (kind) {
            case POSTGRESQL -> TestServices.postgres().isolate(CommitAnswerLostTest.class);
            case MARIADB -> TestServices.mariadb().isolate(CommitAnswerLostTest.class);
            case H2 -> throw new IllegalArgumentException("H2 runs in process: there is no wire to cut");
        };
    }

    private static Jdbi throughProxy(IsolatedDatabase database, SeveringProxy proxy) {
        Properties credentials = new Properties();
        if (database.user() != null) {
            credentials.setProperty("user", database.user());
        }
        if (database.password() != null) {
            credentials.setProperty("password", database.password());
        }
        return Jdbi.create(proxy.redirect(database.jdbcUrl()), credentials);
    }

    private static void createAccounts(Jdbi jdbi) {
        TwoAccounts.create(jdbi, "accounts", OPENING_BALANCE, OPENING_BALANCE);
    }

    private static List<Long> balances(Jdbi jdbi) {
        return TwoAccounts.balances(jdbi, "accounts");
    }
}
