package io.raceguard.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.raceguard.BackendException;
import io.raceguard.Outcome;
import io.raceguard.Rejection;
import io.raceguard.lock.Lease;
import io.raceguard.lock.LeaseLostException;
import io.raceguard.lock.LeaseOptions;
import io.raceguard.lock.LockManager;
import io.raceguard.testing.contract.LockManagerContract;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

final class JdbcLocksTest {

    private static final OpenDatabases DATABASES = new OpenDatabases(JdbcLocksTest.class);
    private static final LeaseOptions LONG = LeaseOptions.ttl(Duration.ofSeconds(30));
    private static final GuardedUpdates COUPONS = GuardedUpdates.on("coupons", "code");

    @AfterAll
    static void closeDatabases() {
        DATABASES.close();
    }

    /** The contract kit on one database, against the default schema created once. */
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    abstract static class ContractOn extends LockManagerContract {
        private final DatabaseKind kind;
        private LockManager locks;

        ContractOn(DatabaseKind kind) {
            this.kind = kind;
        }

        @BeforeAll
        void createLocks() {
            Jdbi jdbi = DATABASES.get(kind).jdbi();
            Schema.defaults().create(jdbi);
            locks = JdbcLocks.create(jdbi);
        }

        @AfterAll
        void closeLocks() {
            // Runs even when createLocks skipped the class for want of a server.
            if (locks != null) {
                locks.close();
            }
        }

        @Override
        protected LockManager locks() {
            return locks;
        }
    }

    @Nested
    final class OnH2 extends ContractOn {
        OnH2() {
            super(DatabaseKind.H2);
        }
    }

    @Nested
    final class OnPostgresql extends ContractOn {
        OnPostgresql() {
            super(DatabaseKind.POSTGRESQL);
        }

        /** Every turn waits for two durable commits here: fifty turns each keep the case to seconds. */
        @Override
        protected int hotKeyTurns() {
            return 50;
        }
    }

    @Nested
    final class OnMariadb extends ContractOn {
        OnMariadb() {
            super(DatabaseKind.MARIADB);
        }
    }

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void shouldRejectTheFencedWriteOfAHolderWhoseLeaseExpiredWhileItWasStillWorking(DatabaseKind kind)
            throws Exception {
        TestDatabase database = DATABASES.get(kind);
        Schema.defaults().create(database.jdbi());
        database.execute("CREATE TABLE coupons (code VARCHAR(20) PRIMARY KEY, state VARCHAR(20) NOT NULL, fence"
                + " BIGINT)",
                "INSERT INTO coupons (code, state) VALUES ('NAIVE', 'NEW'), ('FENCED', 'NEW')");
        try (LockManager locks = JdbcLocks.create(database.jdbi())) {
            String key = "coupon:" + UUID.randomUUID();
            Lease slow = locks.tryAcquire(key, LeaseOptions.ttl(Duration.ofMillis(300))).orElseThrow();

            // the slow holder pauses past its ttl; the next holder waits for the expiry and takes over
            Lease next = locks.acquire(key, LONG.waitUpTo(Duration.ofSeconds(30)));
            assertThat(next.fencingToken()).isGreaterThan(slow.fencingToken());

            database.execute("UPDATE coupons SET state = 'NEXT' WHERE code = 'NAIVE'",
                    "UPDATE coupons SET state = 'SLOW' WHERE code = 'NAIVE'");
            assertThat(state(database, "NAIVE")).as("naive: the stale holder's unfenced write wins").isEqualTo("SLOW");

            assertThat(redeem(database, next, "NEXT")).isEqualTo(Outcome.applied("NEXT"));
            Outcome<String> stale = redeem(database, slow, "SLOW");

            assertThat(stale.isApplied()).isFalse();
            assertThat(stale.rejection()).isEqualTo(Rejection.STALE_FENCE);
            assertThat(state(database, "FENCED")).isEqualTo("NEXT");
            assertThatThrownBy(slow::checkValid).isInstanceOf(LeaseLostException.class);
            slow.release();
            assertThat(locks.tryAcquire(key, LONG)).as("the stale release freed the next holder's key").isEmpty();
            next.release();
        } finally {
            database.execute("DROP TABLE coupons");
        }
    }

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void shouldLetExactlyOneOfTenOwnersTakeOverAnExpiredLease(DatabaseKind kind) throws Exception {
        TestDatabase database = DATABASES.get(kind);
        Schema.defaults().create(database.jdbi());
        String key = "expired:" + UUID.randomUUID();
        byte[] keyHash = KeyDigest.of(key);

        insertExpiredLease(database, key);
        CountDownLatch checked = new CountDownLatch(10);
        List<Boolean> naive = StartGate.runTogether(10, i -> () -> database.jdbi().withHandle(handle -> {
            boolean expired = handle.createQuery("SELECT COUNT(*) FROM raceguard_locks WHERE key_hash = :keyHash AND"
                    + " expires_at <= "
                            + databaseNow(kind)).bind("keyHash", keyHash).mapTo(Long.class).one() == 1;
            StartGate.awaitAll(checked);
            return expired && handle.createUpdate("UPDATE raceguard_locks SET owner = :owner WHERE key_hash = :keyHash")
                    .bind("owner", "naive" + i).bind("keyHash", keyHash).execute() == 1;
        }));
        assertThat(naive).as("naive check-then-take: owners who believe they hold the lock").containsOnly(true);

        try (LockManager locks = JdbcLocks.create(database.jdbi())) {
            long earlierToken = tokenOfAFreshLease(locks);
            for (int round = 0; round < 5; round++) {
                insertExpiredLease(database, key);
                List<Optional<Lease>> leases = StartGate.runTogether(10, i -> () -> locks.tryAcquire(key, LONG));

                List<Lease> winners = leases.stream().flatMap(Optional::stream).toList();
                assertThat(winners).as("owners who took the expired lease in round " + round).hasSize(1);
                assertThat(winners.get(0).fencingToken()).isGreaterThan(earlierToken);
                earlierToken = winners.get(0).fencingToken();
                winners.get(0).release();
            }
        }
    }

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void shouldGiveEveryHolderATokenAboveItsPredecessorsAlthoughRowsAreDeletedOnRelease(DatabaseKind kind)
            throws Exception {
        TestDatabase database = DATABASES.get(kind);
        Schema.defaults().create(database.jdbi());
        String key = "succession:" + UUID.randomUUID();
        try (LockManager locks = JdbcLocks.builder(database.jdbi()).backoff(Duration.ofMillis(1), Duration.ofMillis(20))
                .build()) {
            long drawnBeforeWinningTheRow = nextFence(database);
            Lease meanwhile = locks.tryAcquire(key, LONG).orElseThrow();
            meanwhile.release();
            database.jdbi().useHandle(handle -> handle.createUpdate("INSERT INTO raceguard_locks (key_hash, lock_key,"
                    + " owner,"
                            + " expires_at) VALUES (:keyHash, :key, 'naive', " + databaseNow(kind) + ")")
                    .bind("keyHash", KeyDigest.of(key)).bind("key", key).execute());
            assertThat(drawnBeforeWinningTheRow).as("naive: a token drawn before the row was won (as in VALUES)")
                    .isLessThan(meanwhile.fencingToken());
            database.jdbi().useHandle(handle -> handle.createUpdate("DELETE FROM raceguard_locks WHERE key_hash ="
                    + " :keyHash")
                    .bind("keyHash", KeyDigest.of(key)).execute());

            AtomicLong previousToken = new AtomicLong();
            AtomicInteger holds = new AtomicInteger();
            List<Long> backwards = new CopyOnWriteArrayList<>();
            StartGate.runTogether(8, i -> () -> {
                for (int hold = 0; hold < 10; hold++) {
                    locks.withLock(key, LONG.waitUpTo(Duration.ofSeconds(60)), lease -> {
                        long previous = previousToken.getAndSet(lease.fencingToken());
                        if (lease.fencingToken() <= previous) {
                            backwards.add(lease.fencingToken());
                        }
                        return holds.incrementAndGet();
                    });
                }
                return null;
            });

            assertThat(holds).hasValue(80);
            assertThat(backwards).as("tokens not above the previous holder's").isEmpty();
        }
    }

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void shouldDeleteRowsOnReleaseAndReapExpiredRowsButNeverALiveOne(DatabaseKind kind) throws Exception {
        TestDatabase database = DATABASES.get(kind);
        TableNames names = TableNames.defaults().withLocks("bounded_locks").withLockFence("bounded_lock_fence");
        Schema.builder().tableNames(names).build().create(database.jdbi());
        try (LockManager locks = JdbcLocks.builder(database.jdbi()).tableNames(names).reapEvery(10).build()) {
            Lease live = locks.tryAcquire("live", LONG).orElseThrow();
            for (int i = 0; i < 29; i++) {
                locks.tryAcquire("abandoned:" + i, LeaseOptions.ttl(Duration.ofMillis(200))).orElseThrow();
            }
            awaitAllButOneExpired(database, "bounded_locks", kind);

            for (int i = 0; i < 30; i++) {
                locks.tryAcquire("released:" + i, LONG).orElseThrow().release();
            }

            assertThat(rows(database, "bounded_locks")).as("rows left: the live lease's only").isEqualTo(1);
            assertThat(live.isValid()).isTrue();
            assertThat(locks.tryAcquire("live", LONG)).as("the live lease's key").isEmpty();
            live.release();
            assertThat(rows(database, "bounded_locks")).isZero();
        }
    }

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void shouldKeepKeysThatOnlyLookAlikeApart(DatabaseKind kind) {
        Jdbi jdbi = DATABASES.get(kind).jdbi();
        Schema.defaults().create(jdbi);
        String prefix = "look-alike:" + UUID.randomUUID() + ":";
        List<String> keys = List.of(prefix + "key", prefix + "Key", prefix + "KEY", prefix + "key ", prefix + "key  ",
                prefix + "\u00e9", prefix + "e\u0301", prefix + "\uD83D\uDD12",
                prefix + "k".repeat(8192 - prefix.length()), prefix + "k".repeat(8191 - prefix.length()) + "K");
        try (LockManager locks = JdbcLocks.create(jdbi)) {
            List<Lease> held = new ArrayList<>();
            for (String key : keys) {
                held.add(locks.tryAcquire(key, LONG)
                        .orElseThrow(() -> new AssertionError("a look-alike key was taken")));
            }
            assertThat(held).allSatisfy(lease -> assertThat(locks.tryAcquire(lease.key(), LONG)).isEmpty());
            held.forEach(Lease::release);
        }
    }

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void shouldCommitTheLeaseOnItsOwnWhenTheCallersTransactionRollsBack(DatabaseKind kind) {
        Jdbi jdbi = DATABASES.get(kind).jdbi();
        Schema.defaults().create(jdbi);
        String key = "outside-the-caller:" + UUID.randomUUID();
        String callersKey = "written-by-the-caller:" + UUID.randomUUID();
        try (LockManager locks = JdbcLocks.create(jdbi)) {
            Lease lease = jdbi.inTransaction(handle -> {
                handle.createUpdate("INSERT INTO raceguard_locks (key_hash, lock_key, owner, expires_at)"
                                + " VALUES (:keyHash, :key, 'caller', " + databaseNow(kind) + ")")
                        .bind("keyHash", KeyDigest.of(callersKey)).bind("key", callersKey).execute();
                Lease taken = locks.tryAcquire(key, LONG).orElseThrow();
                handle.rollback();
                return taken;
            });

            long callersRows = jdbi.withHandle((Handle handle) -> handle.createQuery(
                    "SELECT COUNT(*) FROM raceguard_locks WHERE key_hash = :keyHash")
                    .bind("keyHash", KeyDigest.of(callersKey)).mapTo(Long.class).one());
            assertThat(callersRows).as("the caller's own write, which it rolled back").isZero();
            assertThat(locks.tryAcquire(key, LONG)).as("a second owner after the caller's rollback").isEmpty();
            lease.release();
            assertThat(locks.tryAcquire(key, LONG)).as("the key after release").isPresent();
        }
    }

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void shouldCommitOnConnectionsThatAPoolHandsOutWithAutocommitOff(DatabaseKind kind) {
        TestDatabase database = DATABASES.get(kind);
        Schema.defaults().create(database.jdbi());
        Jdbi autocommitOff = Jdbi.create(() -> {
            Connection connection = database.connect();
            connection.setAutoCommit(false);
            return connection;
        });
        String key = "autocommit-off:" + UUID.randomUUID();
        try (LockManager locks = JdbcLocks.create(autocommitOff);
                LockManager others = JdbcLocks.create(database.jdbi())) {
            Lease lease = locks.tryAcquire(key, LONG).orElseThrow();

            assertThat(others.tryAcquire(key, LONG)).as("another owner, on autocommit connections").isEmpty();
            assertThat(lease.extend(LONG.ttl())).isTrue();
            lease.release();
            assertThat(others.tryAcquire(key, LONG)).as("the key after release").isPresent();
        }
    }

    @ParameterizedTest
    @EnumSource(value = DatabaseKind.class, names = {"POSTGRESQL", "MARIADB"})
    void shouldEndAnAcquireStalledOnAnotherTransactionAtTheStatementTimeout(DatabaseKind kind) throws Exception {
        TestDatabase database = DATABASES.get(kind);
        Schema.defaults().create(database.jdbi());
        String key = "stalled:" + UUID.randomUUID();
        try (Connection blocker = database.connect();
                LockManager locks = JdbcLocks.builder(database.jdbi()).statementTimeout(Duration.ofSeconds(1))
                        .build()) {
            blocker.setAutoCommit(false);
            try (PreparedStatement insert = blocker.prepareStatement("INSERT INTO raceguard_locks (key_hash, lock_key,"
                    + " owner,"
                    + " expires_at) VALUES (?, ?, 'blocker', " + databaseNow(kind) + ")")) {
                insert.setBytes(1, KeyDigest.of(key));
                insert.setString(2, key);
                insert.executeUpdate();
            }
            // the acquire waits for the blocker's uncommitted row, which stays until the rollback below; 30 s is
            // under the servers' own lock wait bounds (MariaDB: innodb_lock_wait_timeout, 50 s by default)
            CompletableFuture<Optional<Lease>> stalled = CompletableFuture.supplyAsync(() -> locks.tryAcquire(key,
                    LONG));
            try {
                assertThatThrownBy(() -> stalled.get(30, TimeUnit.SECONDS))
                        .as("the stalled acquire, while the blocking transaction is still open")
                        .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(BackendException.class);
            } finally {
                blocker.rollback();
            }
        }
    }

    @Test
    void shouldRejectBadOptionsBeforeAnyIo() {
        Jdbi unused = Jdbi.create("jdbc:h2:mem:never-opened");
        assertThatThrownBy(() -> JdbcLocks.create(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> JdbcLocks.create(unused, null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> JdbcLocks.builder(unused).dialect(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> JdbcLocks.builder(unused).statementTimeout(Duration.ofMillis(999)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("timeout");
        assertThatThrownBy(() -> JdbcLocks.builder(unused).backoff(Duration.ofMillis(10), Duration.ofMillis(5)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("max");
        assertThatThrownBy(() -> JdbcLocks.builder(unused).backoff(Duration.ZERO, Duration.ofMillis(5)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("min");
        assertThatThrownBy(() -> JdbcLocks.builder(unused).dialect(Dialect.H2).dialect(Dialect.H2))
                .isInstanceOf(IllegalStateException.class).hasMessageStartingWith("dialect was already set");
        assertThatThrownBy(() -> JdbcLocks.builder(unused).statementTimeout(Duration.ofSeconds(2))
                        .statementTimeout(Duration.ofSeconds(2)))
                .isInstanceOf(IllegalStateException.class).hasMessageStartingWith("statementTimeout was already set");
        assertThatThrownBy(() -> TableNames.defaults().withLocks("locks; DROP TABLE users"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static Outcome<String> redeem(TestDatabase database, Lease lease, String holder) {
        return database.jdbi().withHandle(handle ->
                COUPONS.fencedSet("state", holder, "fence", lease.fencingToken()).apply(handle, "FENCED"));
    }

    private static String state(TestDatabase database, String code) {
        return database.jdbi().withHandle(handle -> handle.createQuery("SELECT state FROM coupons WHERE code = :code")
                .bind("code", code).mapTo(String.class).one());
    }

    private static long tokenOfAFreshLease(LockManager locks) {
        try (Lease lease = locks.tryAcquire("fresh:" + UUID.randomUUID(), LONG).orElseThrow()) {
            return lease.fencingToken();
        }
    }

    /** Puts a lease of a dead owner, expired a second ago on the database clock, on {@code key}. */
    private static void insertExpiredLease(TestDatabase database, String key) {
        String expired = switch (database.kind()) {
            case POSTGRESQL -> "now() - INTERVAL '1 second'";
            case MARIADB -> "UTC_TIMESTAMP(6) - INTERVAL 1 SECOND";
            case H2 -> "DATEADD(SECOND, -1, CURRENT_TIMESTAMP)";
        };
        database.jdbi().useHandle(handle -> {
            handle.createUpdate("DELETE FROM raceguard_locks WHERE key_hash = :keyHash")
                    .bind("keyHash", KeyDigest.of(key)).execute();
            handle.createUpdate("INSERT INTO raceguard_locks (key_hash, lock_key, owner, expires_at)"
                            + " VALUES (:keyHash, :key, 'dead', " + expired + ")")
                    .bind("keyHash", KeyDigest.of(key)).bind("key", key).execute();
        });
    }

    private static long nextFence(TestDatabase database) {
        String sequence = TableNames.DEFAULT_LOCK_FENCE;
        String draw = switch (database.kind()) {
            case POSTGRESQL -> "SELECT nextval('" + sequence + "')";
            case MARIADB -> "SELECT NEXTVAL(" + sequence + ")";
            case H2 -> "SELECT NEXT VALUE FOR " + sequence;
        };
        return database.jdbi().withHandle(handle -> handle.createQuery(draw).mapTo(Long.class).one());
    }

    private static String databaseNow(DatabaseKind kind) {
        return switch (kind) {
            case POSTGRESQL -> "now()";
            case MARIADB -> "UTC_TIMESTAMP(6)";
            case H2 -> "CURRENT_TIMESTAMP";
        };
    }

    /** Waits, bounded, until on the database clock every lease in {@code table} but one has expired. */
    private static void awaitAllButOneExpired(TestDatabase database, String table, DatabaseKind kind)
            throws InterruptedException {
        for (int polls = 0; polls < 300; polls++) {
            long live = database.jdbi().withHandle(handle -> handle.createQuery(
                    "SELECT COUNT(*) FROM " + table + " WHERE expires_at > " + databaseNow(kind)).mapTo(Long.class)
                            .one());
            if (live == 1) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("the leases did not expire on the database clock within 15 s");
    }

    private static long rows(TestDatabase database, String table) {
        return database.jdbi().withHandle((Handle handle) ->
                handle.createQuery("SELECT COUNT(*) FROM " + table).mapTo(Long.class).one());
    }
}
