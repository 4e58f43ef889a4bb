package io.raceguard.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.raceguard.BackendException;
import io.raceguard.Outcome;
import io.raceguard.Rejection;
import io.raceguard.testing.CallResult;
import io.raceguard.testing.CheckedRound;
import io.raceguard.testing.Hammer;
import io.raceguard.testing.HammerExtension;
import io.raceguard.testing.HammerReport;
import io.raceguard.testing.Invariant;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Twenty sign-ups with one email while an uncommitted insert of that email rolls back: on
 * MariaDB/MySQL each waiter was granted a shared lock on the duplicate key, so once the blocker is
 * gone their inserts deadlock one another. {@link GuardedUpdates#insertIfAbsent} on a plain handle
 * owns its transaction and runs it again; inside a caller's transaction it cannot, and says so.
 */
final class InsertIfAbsentRaceTest {

    private static final GuardedUpdates USERS = GuardedUpdates.on("users", "id");
    private static final int SIGN_UPS = 20;
    /** Fifty rounds where the guarded call must hold through the deadlock; ten show the other answers. */
    private static final int ROUNDS_ON_MARIADB = 50;
    private static final int ROUNDS_ELSEWHERE = 10;

    @RegisterExtension
    static final HammerExtension HAMMER = HammerExtension.create()
            .withTimes(SIGN_UPS)
            .withRounds(50)
            .withTimeBudget(Duration.ofMinutes(10))
            .withCallTimeout(Duration.ofMinutes(1))
            .withoutShrinking();

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void shouldAnswerAppliedOrDuplicateOnAPlainHandleWhileAnUncommittedInsertRollsBack(DatabaseKind kind, Hammer hammer)
            throws Exception {
        try (TestDatabase database = kind.open(InsertIfAbsentRaceTest.class);
                RolledBackInsert blocker = new RolledBackInsert(database, SIGN_UPS)) {
            SeedRaceTest.createUsers(database);

            int rounds = kind == DatabaseKind.MARIADB ? ROUNDS_ON_MARIADB : ROUNDS_ELSEWHERE;
            HammerReport<Outcome<Long>> report = hammer.rounds(rounds).beforeEachRound(blocker::holdTheEmail)
                    .fire(i -> database.jdbi().withHandle(handle -> signUp(kind, handle)))
                    .expect(oneSignedUp(), restRefusedAsDuplicates(), oneUserStored(database));

            assertThat(report.rounds()).hasSize(rounds);
            assertThat(blocker.shortestQueue()).as("the fewest callers queued behind the insert in a round")
                    .isGreaterThanOrEqualTo(2);
        }
    }

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void shouldAnswerAppliedOrDuplicateInsideTransactionsWhichRetriesTheWholeTransaction(DatabaseKind kind,
            Hammer hammer) throws Exception {
        try (TestDatabase database = kind.open(InsertIfAbsentRaceTest.class);
                RolledBackInsert blocker = new RolledBackInsert(database, SIGN_UPS)) {
            SeedRaceTest.createUsers(database);
            Transactions transactions = Transactions.builder(database.jdbi()).build();

            hammer.rounds(10)
                    .beforeEachRound(blocker::holdTheEmail)
                    .fire(i -> transactions.inTransaction(handle -> signUp(kind, handle)))
                    .expect(oneSignedUp(), restRefusedAsDuplicates(), oneUserStored(database));
        }
    }

    /**
     * The same call inside a transaction of the caller's own, not run through {@link Transactions}:
     * nothing can run it again, so on MariaDB the losers of the deadlock fail their calls. The failure
     * says what to do.
     */
    @Test
    void shouldFailInsideTheCallersOwnTransactionAndNameTransactionsAsTheRemedy(Hammer hammer) throws Exception {
        try (TestDatabase database = DatabaseKind.MARIADB.open(InsertIfAbsentRaceTest.class);
                RolledBackInsert blocker = new RolledBackInsert(database, SIGN_UPS)) {
            SeedRaceTest.createUsers(database);

            HammerReport<Outcome<Long>> report = hammer.rounds(ROUNDS_ELSEWHERE).beforeEachRound(blocker::holdTheEmail)
                    .fire(i -> database.jdbi().inTransaction(handle -> signUp(DatabaseKind.MARIADB, handle)))
                    .check(oneSignedUp(), restRefusedAsDuplicates(), oneUserStored(database));

            assertThat(report.failed()).as("a caller's own transaction is not retried").isTrue();
            List<Throwable> failures = report.failedRounds().stream()
                    .map(CheckedRound::round)
                    .flatMap(round -> round.failedCalls().stream())
                    .map(CallResult::failure)
                    .flatMap(Optional::stream)
                    .toList();
            assertThat(failures).isNotEmpty().allSatisfy(failure -> {
                assertThat(failure).isInstanceOf(BackendException.class)
                        .hasMessageContaining("Deadlock")
                        .hasMessageContaining("run it through Transactions")
                        .hasNoSuppressedExceptions();
                assertThat(SqlFailure.classify(failure)).isInstanceOf(SqlFailure.Deadlock.class);
            });
        }
    }

    private static Outcome<Long> signUp(DatabaseKind kind, Handle handle) {
        if (kind == DatabaseKind.H2) {
            // H2 waits 2 s for a row lock by default; the waiters here wait for the whole volley to queue up
            handle.execute("SET LOCK_TIMEOUT 60000");
        }
        return USERS.insertIfAbsent(handle, Map.of("email", RolledBackInsert.EMAIL), Long.class);
    }

    private static Invariant<Outcome<Long>> oneSignedUp() {
        return Invariant.exactly(1, "signed up", Outcome::isApplied);
    }

    private static Invariant<Outcome<Long>> restRefusedAsDuplicates() {
        return Invariant.exactly(SIGN_UPS - 1, "refused as duplicates", outcome ->
                outcome instanceof Outcome.Rejected<Long> rejected
                        && rejected.rejection() == Rejection.DUPLICATE
                        && rejected.detail().equalsIgnoreCase("users_email_key"));
    }

    private static Invariant<Object> oneUserStored(TestDatabase database) {
        return Invariant.that("one user stored", round ->
                assertThat(SeedRaceTest.integer(database.jdbi(), "SELECT COUNT(*) FROM users")).isEqualTo(1));
    }
}
