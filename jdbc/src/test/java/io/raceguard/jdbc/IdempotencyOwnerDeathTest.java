package io.raceguard.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.raceguard.BackendException;
import io.raceguard.idempotency.ClaimLostException;
import io.raceguard.idempotency.Idempotency;
import io.raceguard.idempotency.IdempotencyCodec;
import io.raceguard.idempotency.IdempotencyKey;
import io.raceguard.idempotency.IdempotentResult;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * An idempotency owner dies mid-work, through the {@link Idempotency} engine, with the charge it
 * makes written to a table the test reads. The lease-expiry case on every store (a stalled owner,
 * twenty concurrent retries, the late completion refused) is the contract kit's
 * {@code shouldTakeOverFromADeadOwnerExactlyOnceAndRefuseItsLateResult}, run on these databases by
 * {@link JdbcIdempotencyStoreTest}; here the owner's database session itself is killed.
 *
 * <p>With the store in its own autocommit transactions, the charge of an owner that dies before
 * recording its response is already committed, and the retry that takes the expired claim over
 * charges again (the rare second run {@link Idempotency} documents). With the store in the
 * charge's transaction ({@link JdbcIdempotencyStore#inTransactionOf}), the claim and the charge die
 * with the session: of the retries exactly one charges, and all get its response.
 */
final class IdempotencyOwnerDeathTest {

    private static final OpenDatabases DATABASES = new OpenDatabases(IdempotencyOwnerDeathTest.class);
    private static final IdempotencyCodec<String> TEXT = IdempotencyCodec.utf8();
    private static final byte[] REQUEST = "charge 10 EUR".getBytes(StandardCharsets.UTF_8);
    private static final Duration LEASE = Duration.ofMillis(300);
    private static final Duration LONG = Duration.ofMinutes(5);
    private static final int RETRIES = 8;
    private static final int ROUNDS = 3;
    private static final long WAIT_SECONDS = 60;

    @AfterAll
    static void dropDatabases() {
        DATABASES.close();
    }

    @ParameterizedTest
    @EnumSource(value = DatabaseKind.class, names = {"POSTGRESQL", "MARIADB"})
    void separateTransactionsShouldChargeTwiceWhenTheOwnerDiesAfterCharging(DatabaseKind kind) throws Exception {
        TestDatabase database = open(kind);
        Jdbi jdbi = database.jdbi();
        JdbcIdempotencyStore store = JdbcIdempotencyStore.create(jdbi);
        IdempotencyKey key = newKey();
        CountDownLatch charged = new CountDownLatch(1);
        CountDownLatch resume = new CountDownLatch(1);
        ExecutorService ownerThread = Executors.newSingleThreadExecutor();
        try {
            Future<IdempotentResult<String>> owner = ownerThread.submit(() ->
                    Idempotency.builder(store).lease(LEASE).retention(LONG).build().execute(key, REQUEST, TEXT, () -> {
                        String receipt = jdbi.withHandle(handle -> charge(handle, key, "dead owner"));
                        charged.countDown();
                        awaitOrFail(resume, "the stalled owner was never resumed");
                        return receipt;
                    }));
            awaitOrFail(charged, "the owner never charged");
            waitOut(LEASE);

            List<IdempotentResult<String>> retries = StartGate.runTogether(RETRIES, i -> () ->
                    Idempotency.builder(store).lease(LONG).retention(LONG).build()
                            .execute(key, REQUEST, TEXT,
                                    () -> jdbi.withHandle(handle -> charge(handle, key, "retry " + i))));
            resume.countDown();

            List<String> charges = charges(jdbi, key);
            assertThat(charges).as("the dead owner's committed charge, and one retry's").hasSize(2)
                    .contains("dead owner");
            String receipt = charges.get(charges.get(0).equals("dead owner") ? 1 : 0);
            assertThat(retries).filteredOn(IdempotentResult.Executed.class::isInstance).hasSize(1);
            assertThat(retries).as("every retry that got a response got the one that retry recorded")
                    .allSatisfy(result -> assertThat(result).satisfiesAnyOf(
                            answered -> assertThat(answered).isIn(
                                    new IdempotentResult.Executed<>(receipt), new IdempotentResult.Replayed<>(receipt)),
                            answered -> assertThat(answered).isInstanceOf(IdempotentResult.InProgress.class)));
            Throwable late = catchThrowable(() -> owner.get(WAIT_SECONDS, TimeUnit.SECONDS));
            assertThat(late).isInstanceOf(ExecutionException.class).hasCauseInstanceOf(ClaimLostException.class);
        } finally {
            resume.countDown();
            ownerThread.shutdownNow();
            assertThat(ownerThread.awaitTermination(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
        }
    }

    @ParameterizedTest
    @EnumSource(value = DatabaseKind.class, names = {"POSTGRESQL", "MARIADB"})
    void shouldChargeOnceAndAnswerEveryRetryAlikeWhenTheOwnersSessionDiesMidWork(DatabaseKind kind) throws Exception {
        TestDatabase database = open(kind);
        JdbcIdempotencyStore store = JdbcIdempotencyStore.create(database.jdbi());
        Transactions transactions = Transactions.builder(database.jdbi())
                .maxAttempts(50)
                .maxElapsed(Duration.ofSeconds(WAIT_SECONDS))
                .build();

        for (int round = 1; round <= ROUNDS; round++) {
            IdempotencyKey key = newKey();

            Throwable ownerFailure = catchThrowable(() -> transactions.inTransaction(handle ->
                    Idempotency.builder(store.inTransactionOf(handle)).build().execute(key, REQUEST, TEXT, () -> {
                        String receipt = charge(handle, key, "dead owner");
                        SessionKiller.kill(database, SessionKiller.sessionOf(handle));
                        return receipt;
                    })));
            List<IdempotentResult<String>> retries = StartGate.runTogether(RETRIES, i -> () ->
                    transactions.inTransaction(handle -> Idempotency.builder(store.inTransactionOf(handle)).build()
                            .execute(key, REQUEST, TEXT, () -> charge(handle, key, "retry " + i))));

            assertThat(ownerFailure).as("round %d: the dead owner's completion fails, on its dead session", round)
                    .isInstanceOf(BackendException.class)
                    .satisfies(failure -> assertThat(Stream.iterate(failure, Objects::nonNull, Throwable::getCause))
                            .as("the driver's failure is attached").hasAtLeastOneElementOfType(SQLException.class));
            List<String> charges = charges(database.jdbi(), key);
            assertThat(charges).as("round %d: exactly one retry charged; the dead owner's charge died with it", round)
                    .singleElement().asString().startsWith("retry ");
            assertThat(retries).as("round %d: one executed, every other retry replayed the same receipt", round)
                    .filteredOn(IdempotentResult.Executed.class::isInstance).hasSize(1);
            assertThat(retries).allSatisfy(result -> assertThat(result).isIn(
                    new IdempotentResult.Executed<>(charges.get(0)), new IdempotentResult.Replayed<>(charges.get(0))));
        }
    }

    private static TestDatabase open(DatabaseKind kind) throws SQLException {
        TestDatabase database = DATABASES.get(kind);
        Schema.defaults().create(database.jdbi());
        database.execute("CREATE TABLE IF NOT EXISTS charges (idem_key VARCHAR(64) NOT NULL, note VARCHAR(64) NOT"
                + " NULL)");
        return database;
    }

    private static IdempotencyKey newKey() {
        return IdempotencyKey.of("user:7:POST /charges", UUID.randomUUID().toString());
    }

    private static String charge(Handle handle, IdempotencyKey key, String note) {
        handle.createUpdate("INSERT INTO charges (idem_key, note) VALUES (:key, :note)")
                .bind("key", key.key()).bind("note", note).execute();
        return note;
    }

    private static List<String> charges(Jdbi jdbi, IdempotencyKey key) {
        return jdbi.withHandle(handle -> handle.createQuery("SELECT note FROM charges WHERE idem_key = :key")
                .bind("key", key.key()).mapTo(String.class).list());
    }

    private static void awaitOrFail(CountDownLatch latch, String failure) throws InterruptedException {
        if (!latch.await(WAIT_SECONDS, TimeUnit.SECONDS)) {
            throw new AssertionError(failure);
        }
    }

    /** Sleeps past the lease on the database's clock, with a margin for clock resolution. */
    private static void waitOut(Duration lease) throws InterruptedException {
        Thread.sleep(lease.multipliedBy(2).toMillis());
    }
}
