package io.raceguard.jdbc;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.raceguard.lock.Lease;
import io.raceguard.lock.LeaseLostException;
import io.raceguard.lock.LeaseOptions;
import io.raceguard.lock.LockManager;
import io.raceguard.lock.LockTimeoutException;
import io.raceguard.testing.contract.LockManagerContract;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

final class PostgresAdvisoryLocksTest {

    private static final OpenDatabases DATABASES = new OpenDatabases(PostgresAdvisoryLocksTest.class);
    private static final PostgresAdvisoryLocks ADVISORY = PostgresAdvisoryLocks.create();
    private static final LeaseOptions SHORT = LeaseOptions.ttl(Duration.ofMillis(300));
    private static final LeaseOptions LONG = LeaseOptions.ttl(Duration.ofSeconds(30));

    private TestDatabase database;

    @BeforeEach
    void openDatabase() {
        database = DATABASES.get(DatabaseKind.POSTGRESQL);
    }

    @AfterAll
    static void closeDatabases() {
        DATABASES.close();
    }

    /**
     * The kit on session-scoped locks. A session lock has no expiry on the server: it is held until
     * released or until its session ends. The two cases of the kit that wait out a ttl for the store
     * to drop the key are run here with the equivalent event for session locks, the holder's backend
     * being terminated. The other ttl cases apply as they are: the lease's local deadline.
     */
    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    final class SessionScoped extends LockManagerContract {
        private LockManager locks;

        @BeforeAll
        void createLocks() {
            locks = PostgresAdvisoryLocks.sessionScoped(DATABASES.get(DatabaseKind.POSTGRESQL).dataSource());
        }

        @AfterAll
        void closeLocks() {
            locks.close();
        }

        @Override
        protected LockManager locks() {
            return locks;
        }

        /** Every attempt and every held lease costs a connection of its own: fewer turns keep the case short. */
        @Override
        protected int hotKeyTurns() {
            return 20;
        }

        /** The kit's case with the first holder's session ended instead of its ttl waited out. */
        @Test
        @Override
        public void shouldReleaseOnlyForTheOwnerAndOnlyOnce() throws InterruptedException {
            String key = newKey();
            Lease first = locks.tryAcquire(key, SHORT).orElseThrow();
            assertThat(terminateHolderOf(key)).isEqualTo(1);

            Lease second = locks.acquire(key, LONG.waitUpTo(Duration.ofSeconds(10)));
            first.release();
            first.release();

            assertThat(isFree(locks, key)).as("a stale holder's release freed the new holder's key").isFalse();
            assertThat(second.isValid()).isTrue();
            assertThat(second.fencingToken()).isGreaterThan(first.fencingToken());
            second.release();
            second.release();
            assertThat(isFree(locks, key)).isTrue();
        }

        /** The kit's case with the stale holder's session ended instead of its ttl waited out. */
        @Test
        @Override
        public void shouldLoseALeaseWhoseKeyWasTakenOver() throws InterruptedException {
            String key = newKey();
            Lease stale = locks.tryAcquire(key, SHORT).orElseThrow();
            assertThat(terminateHolderOf(key)).isEqualTo(1);
            Lease current = locks.acquire(key, LONG.waitUpTo(Duration.ofSeconds(10)));

            assertThat(stale.extend(LONG.ttl())).as("the keepalive of a terminated session").isFalse();

            AtomicInteger lostCalls = new AtomicInteger();
            stale.onLost(lostCalls::incrementAndGet);
            assertThat(lostCalls).hasValue(1);
            assertThat(stale.extend(LONG.ttl())).isFalse();
            stale.release();

            assertThatThrownBy(stale::checkValid).isInstanceOf(LeaseLostException.class).hasMessageContaining("released");
            assertThat(lostCalls).hasValue(1);
            assertThat(current.isValid()).isTrue();
            assertThat(isFree(locks, key)).isFalse();
            current.release();
        }
    }

    @Test
    void shouldReportTheLeaseLostWhenItsBackendIsTerminated() throws Exception {
        try (LockManager locks = PostgresAdvisoryLocks.sessionScoped(database.dataSource())) {
            String key = newKey();
            Lease lease = locks.tryAcquire(key, LeaseOptions.ttl(Duration.ofSeconds(3)).withAutoRenew()).orElseThrow();
            CountDownLatch lost = new CountDownLatch(1);
            AtomicInteger lostCalls = new AtomicInteger();
            lease.onLost(() -> {
                lostCalls.incrementAndGet();
                lost.countDown();
            });
            lease.checkValid();

            assertThat(terminateHolderOf(key)).as("sessions terminated").isEqualTo(1);

            assertThat(lost.await(20, SECONDS)).as("onLost fired after the backend was terminated").isTrue();
            assertThatThrownBy(lease::checkValid).isInstanceOf(LeaseLostException.class).hasMessageContaining("lost");
            assertThat(lease.isValid()).isFalse();
            try (Lease next = locks.acquire(key, LONG.waitUpTo(Duration.ofSeconds(10)))) {
                assertThat(next.fencingToken()).isGreaterThan(lease.fencingToken());
                lease.release();
                assertThat(isFree(locks, key)).as("the lost lease's release freed the next holder's key").isFalse();
            }
            assertThat(lostCalls).hasValue(1);
        }
    }

    @Test
    void shouldEndThePinnedSessionOnRelease() throws InterruptedException {
        try (LockManager locks = PostgresAdvisoryLocks.sessionScoped(database.dataSource())) {
            String key = newKey();
            Lease lease = locks.tryAcquire(key, LONG).orElseThrow();
            List<Integer> pinned = holderPids(key);
            assertThat(pinned).hasSize(1);

            lease.release();

            assertThat(sessionsHolding(key)).isZero();
            for (int polls = 0; polls < 200 && backendExists(pinned.get(0)); polls++) {
                Thread.sleep(50);
            }
            assertThat(backendExists(pinned.get(0))).as("the pinned session 10 s after release").isFalse();
        }
    }

    @Test
    void shouldSerializeTwoTransactionsOnOneKeyWhereTheNaiveReadModifyWriteLosesAnUpdate() throws Exception {
        database.execute("CREATE TABLE visits (page VARCHAR(20) PRIMARY KEY, hits BIGINT NOT NULL)",
                "INSERT INTO visits VALUES ('home', 0)");
        try {
            CountDownLatch bothRead = new CountDownLatch(2);
            StartGate.runTogether(2, i -> () -> database.jdbi().inTransaction(handle -> {
                long hits = hits(handle);
                StartGate.awaitAll(bothRead);
                return handle.execute("UPDATE visits SET hits = ? WHERE page = 'home'", hits + 1);
            }));
            assertThat(database.jdbi().withHandle(PostgresAdvisoryLocksTest::hits)).as("naive: one update lost").isEqualTo(1);

            database.execute("UPDATE visits SET hits = 0");
            CountDownLatch readsSeen = new CountDownLatch(2);
            AtomicInteger inside = new AtomicInteger();
            AtomicInteger mostInside = new AtomicInteger();
            List<Boolean> sawTheOtherRead = StartGate.runTogether(2, i -> () -> database.jdbi().inTransaction(handle -> {
                handle.execute("SET LOCAL lock_timeout = '30s'");
                ADVISORY.lock(handle, "visits:home");
                mostInside.accumulateAndGet(inside.incrementAndGet(), Math::max);
                long hits = hits(handle);
                readsSeen.countDown();
                // the same forced interleaving: wait for the other's read, which the lock holds back
                boolean otherRead = readsSeen.await(1, SECONDS);
                handle.execute("UPDATE visits SET hits = ? WHERE page = 'home'", hits + 1);
                inside.decrementAndGet();
                return otherRead;
            }));

            assertThat(database.jdbi().withHandle(PostgresAdvisoryLocksTest::hits)).isEqualTo(2);
            assertThat(mostInside).as("transactions inside the locked section at once").hasValue(1);
            assertThat(sawTheOtherRead).as("whether each saw the other's read before writing").containsExactlyInAnyOrder(false, true);
        } finally {
            database.execute("DROP TABLE visits");
        }
    }

    @Test
    void shouldRefuseTryLockWhileAnotherTransactionHoldsTheKeyAndGrantItAfterCommit() {
        String key = newKey();
        try (Handle holder = database.jdbi().open(); Handle other = database.jdbi().open()) {
            holder.begin();
            other.begin();
            assertThat(ADVISORY.tryLock(holder, key)).isTrue();
            assertThat(ADVISORY.tryLock(holder, key)).as("reentrant within the transaction").isTrue();

            assertThat(ADVISORY.tryLock(other, key)).isFalse();
            assertThat(ADVISORY.tryLock(other, newKey())).as("another key").isTrue();
            holder.commit();

            assertThat(ADVISORY.tryLock(other, key)).as("after the holder's commit, in the same transaction").isTrue();
            other.rollback();
            assertThat(sessionsHolding(key)).as("sessions holding the key after rollback").isZero();
        }
    }

    @Test
    void shouldThrowLockTimeoutWhenLockTimeoutPassesAndLeaveTheHolderAlone() {
        String key = newKey();
        try (Handle holder = database.jdbi().open(); Handle waiter = database.jdbi().open()) {
            holder.begin();
            ADVISORY.lock(holder, key);
            waiter.begin();
            waiter.execute("SET LOCAL lock_timeout = '100ms'");

            assertThatThrownBy(() -> ADVISORY.lock(waiter, key))
                    .isInstanceOf(LockTimeoutException.class)
                    .satisfies(timeout -> assertThat(((LockTimeoutException) timeout).key()).isEqualTo(key))
                    .satisfies(timeout -> assertThat(SqlFailure.classify(timeout)).isInstanceOf(SqlFailure.LockTimeout.class));
            waiter.rollback();
            assertThat(sessionsHolding(key)).isEqualTo(1);
            holder.rollback();
        }
    }

    @Test
    void shouldRefuseAHandleWithoutATransactionBeforeTakingAnything() {
        String key = newKey();
        try (Handle handle = database.jdbi().open()) {
            assertThatThrownBy(() -> ADVISORY.tryLock(handle, key)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("transaction");
            assertThatThrownBy(() -> ADVISORY.lock(handle, key)).isInstanceOf(IllegalStateException.class);
        }
        assertThat(sessionsHolding(key)).isZero();
    }

    @Test
    void shouldRefuseADatabaseOtherThanPostgresql() {
        Jdbi h2 = DATABASES.get(DatabaseKind.H2).jdbi();
        assertThatThrownBy(() -> h2.useTransaction(handle -> ADVISORY.tryLock(handle, "key")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("PostgreSQL");
    }

    @Test
    void shouldLockTheIdShownInPgLocks() {
        String key = newKey();
        database.jdbi().useTransaction(handle -> {
            ADVISORY.lock(handle, key);
            long lockId = ADVISORY.lockId(key);
            assertThat(handle.createQuery("SELECT COUNT(*) FROM pg_locks WHERE locktype = 'advisory' AND granted"
                            + " AND pid = pg_backend_pid() AND CAST(classid AS BIGINT) = :high AND CAST(objid AS BIGINT) = :low"
                            + " AND objsubid = 1")
                    .bind("high", lockId >>> 32).bind("low", lockId & 0xFFFF_FFFFL).mapTo(Long.class).one()).isEqualTo(1);
        });
    }

    @Test
    void shouldDeriveLockIdsThatStayTheSameAcrossVersionsAndDifferPerNamespace() {
        assertThat(ADVISORY.lockId("coupon:SAVE20")).isEqualTo(8330669155779513581L);
        assertThat(PostgresAdvisoryLocks.create("billing").lockId("coupon:SAVE20")).isEqualTo(8709580084443951243L);
        assertThat(ADVISORY.lockId("coupon:save20")).isNotEqualTo(ADVISORY.lockId("coupon:SAVE20"));
        assertThat(PostgresAdvisoryLocks.create(PostgresAdvisoryLocks.DEFAULT_NAMESPACE).lockId("k")).isEqualTo(ADVISORY.lockId("k"));
    }

    @Test
    void shouldRejectBadInputBeforeAnyIo() {
        assertThatThrownBy(() -> ADVISORY.lockId(" ")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ADVISORY.lockId(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> ADVISORY.tryLock(null, "key")).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> PostgresAdvisoryLocks.create("")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PostgresAdvisoryLocks.create("a\0b")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PostgresAdvisoryLocks.sessionScoped(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> PostgresAdvisoryLocks.sessionScopedBuilder(database.dataSource())
                .statementTimeout(Duration.ofMillis(10))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PostgresAdvisoryLocks.sessionScopedBuilder(database.dataSource())
                .backoff(Duration.ofMillis(5), Duration.ofMillis(1))).isInstanceOf(IllegalArgumentException.class);
    }

    private static String newKey() {
        return "advisory:" + UUID.randomUUID();
    }

    private static boolean isFree(LockManager locks, String key) {
        Optional<Lease> probe = locks.tryAcquire(key, LONG);
        probe.ifPresent(Lease::release);
        return probe.isPresent();
    }

    private static long hits(Handle handle) {
        return handle.createQuery("SELECT hits FROM visits WHERE page = 'home'").mapTo(Long.class).one();
    }

    private static final String HOLDERS = "FROM pg_locks WHERE locktype = 'advisory' AND granted AND objsubid = 1"
            + " AND database = (SELECT oid FROM pg_database WHERE datname = current_database())"
            + " AND CAST(classid AS BIGINT) = :high AND CAST(objid AS BIGINT) = :low";

    /** Ends, from another connection, every session that holds {@code key} (default namespace). */
    private int terminateHolderOf(String key) {
        long lockId = ADVISORY.lockId(key);
        return database.jdbi().withHandle(handle -> handle.createQuery("SELECT pg_terminate_backend(pid) " + HOLDERS)
                .bind("high", lockId >>> 32).bind("low", lockId & 0xFFFF_FFFFL).mapTo(Boolean.class).list().size());
    }

    private long sessionsHolding(String key) {
        long lockId = ADVISORY.lockId(key);
        return database.jdbi().withHandle(handle -> handle.createQuery("SELECT COUNT(*) " + HOLDERS)
                .bind("high", lockId >>> 32).bind("low", lockId & 0xFFFF_FFFFL).mapTo(Long.class).one());
    }

    private List<Integer> holderPids(String key) {
        long lockId = ADVISORY.lockId(key);
        return database.jdbi().withHandle(handle -> handle.createQuery("SELECT pid " + HOLDERS)
                .bind("high", lockId >>> 32).bind("low", lockId & 0xFFFF_FFFFL).mapTo(Integer.class).list());
    }

    private boolean backendExists(int pid) {
        return database.jdbi().withHandle(handle -> handle.createQuery("SELECT COUNT(*) FROM pg_stat_activity WHERE pid = :pid")
                .bind("pid", pid).mapTo(Long.class).one()) > 0;
    }
}
