package io.raceguard.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.raceguard.idempotency.Idempotency;
import io.raceguard.idempotency.IdempotencyCodec;
import io.raceguard.idempotency.IdempotencyKey;
import io.raceguard.idempotency.IdempotentResult;
import io.raceguard.idempotency.spi.IdempotencyRecord.Status;
import io.raceguard.idempotency.spi.IdempotencyRecord;
import io.raceguard.idempotency.spi.IdempotencyStore;
import io.raceguard.testing.contract.IdempotencyStoreContract;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The idempotency kit on each database; a dead owner taken over once; the reaper; the
 * same-transaction mode; and the duplicate charge a naive check-then-run lets through.
 */
final class JdbcIdempotencyStoreTest {

    private static final StoreDatabases DATABASES = new StoreDatabases(JdbcIdempotencyStoreTest.class);
    private static final IdempotencyCodec<String> TEXT = IdempotencyCodec.utf8();
    private static final Duration LONG = Duration.ofMinutes(5);
    private static final Duration SHORT = Duration.ofMillis(200);
    private static final long WAIT_SECONDS = 30;

    @AfterAll
    static void closeDatabases() {
        DATABASES.close();
    }

    @Nested
    final class OnH2 extends IdempotencyStoreContract {
        @Override
        protected IdempotencyStore store() {
            return JdbcIdempotencyStore.create(DATABASES.withSchema(DatabaseKind.H2));
        }
    }

    @Nested
    final class OnPostgresql extends IdempotencyStoreContract {
        @Override
        protected IdempotencyStore store() {
            return JdbcIdempotencyStore.create(DATABASES.withSchema(DatabaseKind.POSTGRESQL));
        }
    }

    @Nested
    final class OnMariadb extends IdempotencyStoreContract {
        @Override
        protected IdempotencyStore store() {
            return JdbcIdempotencyStore.create(DATABASES.withSchema(DatabaseKind.MARIADB));
        }
    }

    @Test
    void shouldChargeTwiceWithANaiveCheckThenRunWhereTheStoreChargesOnce() throws Exception {
        Jdbi jdbi = DATABASES.withSchema(DatabaseKind.POSTGRESQL);
        jdbi.useHandle(handle -> handle.execute("CREATE TABLE naive_requests (request_key VARCHAR(64) PRIMARY KEY)"));
        AtomicInteger naiveCharges = new AtomicInteger();
        CountDownLatch checked = new CountDownLatch(5);

        StartGate.runTogether(5, i -> () -> jdbi.withHandle(handle -> {
            boolean seen = handle.createQuery("SELECT COUNT(*) FROM naive_requests WHERE request_key = 'charge-1'")
                    .mapTo(Integer.class).one() > 0;
            StartGate.awaitAll(checked);
            if (!seen) {
                naiveCharges.incrementAndGet();
                handle.execute("INSERT INTO naive_requests VALUES ('charge-1') ON CONFLICT DO NOTHING");
            }
            return seen;
        }));
        assertThat(naiveCharges).as("naive: every duplicate charged").hasValue(5);

        Idempotency idempotency = Idempotency.builder(JdbcIdempotencyStore.create(jdbi)).build();
        IdempotencyKey key = IdempotencyKey.of("user:1:POST /charges", UUID.randomUUID().toString());
        AtomicInteger charges = new AtomicInteger();
        List<IdempotentResult<String>> results = StartGate.runTogether(5, i -> () ->
                idempotency.execute(key, bytes("10 EUR"), TEXT, () -> "receipt " + charges.incrementAndGet()));

        assertThat(charges).hasValue(1);
        assertThat(results).filteredOn(result -> result instanceof IdempotentResult.Executed<String>).hasSize(1);
        jdbi.useHandle(handle -> handle.execute("DROP TABLE naive_requests"));
    }

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void shouldTakeADeadOwnersClaimOverOnceAndRefuseItsLateCompletion(DatabaseKind kind) throws Exception {
        JdbcIdempotencyStore store = JdbcIdempotencyStore.create(DATABASES.withSchema(kind));
        IdempotencyKey key = IdempotencyKey.of("user:2:POST /charges", UUID.randomUUID().toString());
        byte[] request = bytes("20 EUR");
        String deadOwner = "0123456789abcdef0123456789abcdef";
        assertThat(store.claim(key, sha256(request), deadOwner, SHORT, LONG)).isEmpty();
        Thread.sleep(SHORT.multipliedBy(2).toMillis());

        Idempotency idempotency = Idempotency.builder(store).lease(LONG).retention(LONG).build();
        AtomicInteger runs = new AtomicInteger();
        List<IdempotentResult<String>> results = StartGate.runTogether(8, i -> () ->
                idempotency.execute(key, request, TEXT, () -> "receipt " + runs.incrementAndGet()));

        assertThat(runs).as("the work runs once, by the one caller that took the claim over").hasValue(1);
        assertThat(results).filteredOn(result -> result instanceof IdempotentResult.Executed<String>).hasSize(1);
        assertThat(store.complete(key, deadOwner, bytes("late"), LONG)).as("the dead owner's late completion")
                .isFalse();
        assertThat(store.release(key, deadOwner)).as("the dead owner's late release").isFalse();
        IdempotencyRecord record = store.claim(key, sha256(request), "stranger", LONG, LONG).orElseThrow();
        assertThat(record.status()).isEqualTo(Status.COMPLETED);
        assertThat(new String(record.response(), StandardCharsets.UTF_8)).isEqualTo("receipt 1");
        assertThat(record.owner()).isNotEqualTo(deadOwner);
    }

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void shouldReapExpiredRecordsButNeverALiveInProgressOne(DatabaseKind kind) throws Exception {
        Jdbi jdbi = DATABASES.withSchema(kind);
        JdbcIdempotencyStore store = JdbcIdempotencyStore.create(jdbi);
        String scope = "reaper:" + UUID.randomUUID();
        IdempotencyKey completedAndExpired = IdempotencyKey.of(scope, "completed-expired");
        IdempotencyKey abandoned = IdempotencyKey.of(scope, "abandoned");
        IdempotencyKey liveLeasePastRetention = IdempotencyKey.of(scope, "live-lease");
        IdempotencyKey completedAndKept = IdempotencyKey.of(scope, "completed-kept");
        IdempotencyKey inProgressAndKept = IdempotencyKey.of(scope, "in-progress-kept");
        byte[] fingerprint = sha256(bytes("request"));

        store.claim(completedAndExpired, fingerprint, "owner-1", SHORT, LONG);
        store.complete(completedAndExpired, "owner-1", bytes("done"), SHORT);
        store.claim(abandoned, fingerprint, "owner-2", SHORT, SHORT);
        store.claim(liveLeasePastRetention, fingerprint, "owner-3", LONG, LONG);
        store.claim(completedAndKept, fingerprint, "owner-4", SHORT, LONG);
        store.complete(completedAndKept, "owner-4", bytes("kept"), LONG);
        store.claim(inProgressAndKept, fingerprint, "owner-5", LONG, LONG);
        // A row no transition writes (retention over, lease live): the reaper must still leave it.
        jdbi.useHandle(handle -> handle.createUpdate("UPDATE raceguard_idempotency SET expires_at = "
                        + DatabaseTime.now(Dialect.of(handle.getConnection())) + " WHERE key_hash = :hash")
                .bind("hash", KeyDigest.of(scope, "live-lease")).execute());
        Thread.sleep(SHORT.multipliedBy(2).toMillis());

        int reaped = 0;
        for (int deleted = store.reapExpired(1); deleted > 0; deleted = store.reapExpired(1)) {
            reaped += deleted;
        }

        assertThat(reaped).as("records reaped, counting other tests' leftovers").isGreaterThanOrEqualTo(2);
        assertThat(keysLeft(jdbi, scope)).containsExactlyInAnyOrder("live-lease", "completed-kept", "in-progress-kept");
        assertThat(store.complete(liveLeasePastRetention, "owner-3", bytes("x"), LONG))
                .as("a record past its retention is absent, though the reaper left it").isFalse();
    }

    @ParameterizedTest
    @EnumSource(value = DatabaseKind.class, names = {"POSTGRESQL", "MARIADB", "H2"})
    void shouldSkipRowsAnotherTransactionHoldsWhenReaping(DatabaseKind kind) throws Exception {
        Jdbi jdbi = DATABASES.withSchema(kind);
        JdbcIdempotencyStore store = JdbcIdempotencyStore.create(jdbi);
        String scope = "reaper-skip:" + UUID.randomUUID();
        IdempotencyKey held = IdempotencyKey.of(scope, "held");
        store.claim(held, sha256(bytes("r")), "owner", SHORT, SHORT);
        Thread.sleep(SHORT.multipliedBy(2).toMillis());

        try (Handle holder = jdbi.open()) {
            holder.begin();
            holder.createQuery("SELECT key_hash FROM raceguard_idempotency WHERE key_hash = :hash FOR UPDATE")
                    .bind("hash", KeyDigest.of(scope, "held")).mapTo(byte[].class).one();
            while (store.reapExpired(100) > 0) {
                // other tests' leftovers
            }
            assertThat(keysLeft(jdbi, scope)).as("the locked row is skipped, not waited for").containsExactly("held");
            holder.rollback();
        }
        store.reapExpired(100);
        assertThat(keysLeft(jdbi, scope)).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void shouldRollTheClaimBackWithTheEffectInTheSameTransaction(DatabaseKind kind) {
        Jdbi jdbi = DATABASES.withSchema(kind);
        JdbcIdempotencyStore store = JdbcIdempotencyStore.create(jdbi);
        CallersTable table = CallersTable.create(jdbi, "charges_rollback");
        IdempotencyKey key = IdempotencyKey.of("user:3:POST /charges", UUID.randomUUID().toString());

        assertThatThrownBy(() -> jdbi.useTransaction(handle -> {
            IdempotentResult<String> result = Idempotency.builder(store.inTransactionOf(handle)).build()
                    .execute(key, bytes("30 EUR"), TEXT, () -> table.write(handle, "first"));
            assertThat(result).isInstanceOf(IdempotentResult.Executed.class);
            throw new IllegalStateException("the commit never happens");
        })).hasMessage("the commit never happens");

        assertThat(table.notes(jdbi)).as("the effect rolled back").isEmpty();
        IdempotentResult<String> retry = jdbi.inTransaction(handle -> Idempotency.builder(store.inTransactionOf(handle))
                .build()
                .execute(key, bytes("30 EUR"), TEXT, () -> table.write(handle, "retry")));
        assertThat(retry).as("the claim rolled back too: the retry runs")
                .isEqualTo(new IdempotentResult.Executed<>("retry"));
        assertThat(table.notes(jdbi)).containsExactly("retry");
        IdempotentResult<String> replay = Idempotency.builder(store).build()
                .execute(key, bytes("30 EUR"), TEXT, () -> table.write(jdbi, "never"));
        assertThat(replay).isEqualTo(new IdempotentResult.Replayed<>("retry"));
        table.drop(jdbi);
    }

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void shouldMakeAConcurrentDuplicateWaitForTheCommitThenReplay(DatabaseKind kind) throws Exception {
        Jdbi jdbi = DATABASES.withSchema(kind);
        JdbcIdempotencyStore store = JdbcIdempotencyStore.create(jdbi);
        CallersTable table = CallersTable.create(jdbi, "charges_wait");
        IdempotencyKey key = IdempotencyKey.of("user:4:POST /charges", UUID.randomUUID().toString());
        CountDownLatch completed = new CountDownLatch(1);
        CountDownLatch commit = new CountDownLatch(1);
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try {
            Future<IdempotentResult<String>> first = threads.submit(() -> jdbi.inTransaction(handle -> {
                IdempotentResult<String> result = Idempotency.builder(store.inTransactionOf(handle)).build()
                        .execute(key, bytes("40 EUR"), TEXT, () -> table.write(handle, "first"));
                completed.countDown();
                if (!commit.await(WAIT_SECONDS, TimeUnit.SECONDS)) {
                    throw new AssertionError("the test never let the first transaction commit");
                }
                return result;
            }));
            assertThat(completed.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
            Future<IdempotentResult<String>> duplicate = threads.submit(() -> jdbi.inTransaction(handle ->
                    Idempotency.builder(store.inTransactionOf(handle)).build()
                            .execute(key, bytes("40 EUR"), TEXT, () -> table.write(handle, "duplicate"))));

            assertThatThrownBy(() -> duplicate.get(300, TimeUnit.MILLISECONDS))
                    .as("the duplicate waits on the uncommitted claim").isInstanceOf(TimeoutException.class);
            commit.countDown();

            assertThat(first.get(WAIT_SECONDS, TimeUnit.SECONDS)).isEqualTo(new IdempotentResult.Executed<>("first"));
            assertThat(duplicate.get(WAIT_SECONDS, TimeUnit.SECONDS))
                    .isEqualTo(new IdempotentResult.Replayed<>("first"));
            assertThat(table.notes(jdbi)).containsExactly("first");
        } finally {
            commit.countDown();
            threads.shutdownNow();
            threads.awaitTermination(WAIT_SECONDS, TimeUnit.SECONDS);
        }
        table.drop(jdbi);
    }

    @Test
    void shouldRefuseToBindToAHandleWithoutATransaction() {
        Jdbi jdbi = DATABASES.withSchema(DatabaseKind.H2);
        JdbcIdempotencyStore store = JdbcIdempotencyStore.create(jdbi);
        try (Handle handle = jdbi.open()) {
            assertThatThrownBy(() -> store.inTransactionOf(handle))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("no open transaction");
        }
    }

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void shouldKeepRecordsInTheTableNamedByTableNames(DatabaseKind kind) {
        Jdbi jdbi = DATABASES.withSchema(kind);
        TableNames names = new TableNames("idem_locks", "idem_fence", "idem_counters", "idem_limits",
                "own_idempotency");
        Schema schema = Schema.builder().tableNames(names).build();
        schema.create(jdbi);
        try {
            IdempotencyKey key = IdempotencyKey.of("scope", "key");
            assertThat(JdbcIdempotencyStore.create(jdbi, names).claim(key, new byte[32], "owner", LONG, LONG))
                    .isEmpty();

            Optional<IdempotencyRecord> found = JdbcIdempotencyStore.create(jdbi, names)
                    .claim(key, new byte[32], "other", LONG, LONG);
            assertThat(found).hasValueSatisfying(record -> assertThat(record.owner()).isEqualTo("owner"));
            assertThat(keysLeft(jdbi, "scope")).as("the default table").isEmpty();
        } finally {
            schema.drop(jdbi);
        }
    }

    @Test
    void shouldRejectOversizedOwnersAndFingerprintsBeforeAnyIo() {
        JdbcIdempotencyStore store = JdbcIdempotencyStore.create(DATABASES.withSchema(DatabaseKind.H2));
        IdempotencyKey key = IdempotencyKey.of("scope", "key");

        assertThatThrownBy(() -> store.claim(key, new byte[32], "o".repeat(65), LONG, LONG))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("owner");
        assertThatThrownBy(() -> store.claim(key, new byte[65], "owner", LONG, LONG))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("fingerprint");
        assertThatThrownBy(() -> store.reapExpired(0)).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void shouldCommitTheRecordOnItsOwnWhenTheCallersTransactionRollsBack(DatabaseKind kind) {
        Jdbi jdbi = DATABASES.withSchema(kind);
        Idempotency idempotency = Idempotency.builder(JdbcIdempotencyStore.create(jdbi)).build();
        CallersTable table = CallersTable.create(jdbi, "charges_outside");
        IdempotencyKey key = IdempotencyKey.of("user:5:POST /charges", UUID.randomUUID().toString());

        IdempotentResult<String> inside = jdbi.inTransaction(handle -> {
            IdempotentResult<String> result = idempotency.execute(key, bytes("50 EUR"), TEXT,
                    () -> table.write(handle, "charged in the caller's transaction"));
            handle.rollback();
            return result;
        });

        assertThat(inside).isEqualTo(new IdempotentResult.Executed<>("charged in the caller's transaction"));
        assertThat(table.notes(jdbi)).as("the caller's own write, which it rolled back").isEmpty();
        assertThat(idempotency.execute(key, bytes("50 EUR"), TEXT, () -> table.write(jdbi, "never")))
                .as("the record, committed on its own")
                .isEqualTo(new IdempotentResult.Replayed<>("charged in the caller's transaction"));
        table.drop(jdbi);
    }

    private static List<String> keysLeft(Jdbi jdbi, String scope) {
        return jdbi.withHandle(handle -> handle.createQuery("SELECT idem_key FROM raceguard_idempotency WHERE scope ="
                + " :scope")
                .bind("scope", scope).mapTo(String.class).list());
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] sha256(byte[] request) throws Exception {
        return java.security.MessageDigest.getInstance("SHA-256").digest(request);
    }
}
