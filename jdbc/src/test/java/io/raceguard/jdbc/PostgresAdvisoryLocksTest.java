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

/** Transaction-scoped advisory locks; the session-scoped lock manager is {@link PostgresSessionLocksTest}'s. */
final class PostgresAdvisoryLocksTest {

    private static final OpenDatabases DATABASES = new OpenDatabases(PostgresAdvisoryLocksTest.class);
    private static final PostgresAdvisoryLocks ADVISORY = PostgresAdvisoryLocks.create();

    private TestDatabase database;
    private AdvisoryLockHolders holders;

    @BeforeEach
    void openDatabase() {
        database = DATABASES.get(DatabaseKind.POSTGRESQL);
        holders = new AdvisoryLockHolders(database);
    }

    @AfterAll
    static void closeDatabases() {
        DATABASES.close();
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
            assertThat(database.jdbi().withHandle(PostgresAdvisoryLocksTest::hits)).as("naive: one update lost")
                    .isEqualTo(1);

            database.execute("UPDATE visits SET hits = 0");
            CountDownLatch readsSeen = new CountDownLatch(2);
            AtomicInteger inside = new AtomicInteger();
            AtomicInteger mostInside = new AtomicInteger();
            List<Boolean> sawTheOtherRead = StartGate.runTogether(2, i -> () -> database.jdbi()
                    .inTransaction(handle -> {
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
            assertThat(sawTheOtherRead).as("whether each saw the other's read before writing")
                    .containsExactlyInAnyOrder(false, true);
        } finally {
            database.execute("DROP TABLE visits");
        }
    }

    @Test
    void shouldRefuseTryLockWhileAnotherTransactionHoldsTheKeyAndGrantItAfterCommit() {
        String key = AdvisoryLockHolders.newKey();
        try (Handle holder = database.jdbi().open(); Handle other = database.jdbi().open()) {
            holder.begin();
            other.begin();
            assertThat(ADVISORY.tryLock(holder, key)).isTrue();
            assertThat(ADVISORY.tryLock(holder, key)).as("reentrant within the transaction").isTrue();

            assertThat(ADVISORY.tryLock(other, key)).isFalse();
            assertThat(ADVISORY.tryLock(other, AdvisoryLockHolders.newKey())).as("another key").isTrue();
            holder.commit();

            assertThat(ADVISORY.tryLock(other, key)).as("after the holder's commit, in the same transaction").isTrue();
            other.rollback();
            assertThat(holders.count(key)).as("sessions holding the key after rollback").isZero();
        }
    }

    @Test
    void shouldThrowLockTimeoutWhenLockTimeoutPassesAndLeaveTheHolderAlone() {
        String key = AdvisoryLockHolders.newKey();
        try (Handle holder = database.jdbi().open(); Handle waiter = database.jdbi().open()) {
            holder.begin();
            ADVISORY.lock(holder, key);
            waiter.begin();
            waiter.execute("SET LOCAL lock_timeout = '100ms'");

            assertThatThrownBy(() -> ADVISORY.lock(waiter, key))
                    .isInstanceOf(LockTimeoutException.class)
                    .satisfies(timeout -> assertThat(((LockTimeoutException) timeout).key()).isEqualTo(key))
                    .satisfies(timeout -> assertThat(SqlFailure.classify(timeout))
                            .isInstanceOf(SqlFailure.LockTimeout.class));
            waiter.rollback();
            assertThat(holders.count(key)).isEqualTo(1);
            holder.rollback();
        }
    }

    @Test
    void shouldRefuseAHandleWithoutATransactionBeforeTakingAnything() {
        String key = AdvisoryLockHolders.newKey();
        try (Handle handle = database.jdbi().open()) {
            assertThatThrownBy(() -> ADVISORY.tryLock(handle, key)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("transaction");
            assertThatThrownBy(() -> ADVISORY.lock(handle, key)).isInstanceOf(IllegalStateException.class);
        }
        assertThat(holders.count(key)).isZero();
    }

    @Test
    void shouldRefuseADatabaseOtherThanPostgresql() {
        Jdbi h2 = DATABASES.get(DatabaseKind.H2).jdbi();
        assertThatThrownBy(() -> h2.useTransaction(handle -> ADVISORY.tryLock(handle, "key")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("PostgreSQL");
    }

    @Test
    void shouldLockTheIdShownInPgLocks() {
        String key = AdvisoryLockHolders.newKey();
        database.jdbi().useTransaction(handle -> {
            ADVISORY.lock(handle, key);
            long lockId = ADVISORY.lockId(key);
            assertThat(handle.createQuery("SELECT COUNT(*) FROM pg_locks WHERE locktype = 'advisory' AND granted"
                            + " AND pid = pg_backend_pid() AND CAST(classid AS BIGINT) = :high AND CAST(objid AS"
                            + " BIGINT) = :low"
                            + " AND objsubid = 1")
                    .bind("high", lockId >>> 32).bind("low", lockId & 0xFFFF_FFFFL).mapTo(Long.class).one())
                            .isEqualTo(1);
        });
    }

    @Test
    void shouldDeriveLockIdsThatStayTheSameAcrossVersionsAndDifferPerNamespace() {
        assertThat(ADVISORY.lockId("coupon:SAVE20")).isEqualTo(8330669155779513581L);
        assertThat(PostgresAdvisoryLocks.create("billing").lockId("coupon:SAVE20")).isEqualTo(8709580084443951243L);
        assertThat(ADVISORY.lockId("coupon:save20")).isNotEqualTo(ADVISORY.lockId("coupon:SAVE20"));
        assertThat(PostgresAdvisoryLocks.create(PostgresAdvisoryLocks.DEFAULT_NAMESPACE).lockId("k"))
                .isEqualTo(ADVISORY.lockId("k"));
    }

    @Test
    void shouldRejectBadInputBeforeAnyIo() {
        assertThatThrownBy(() -> ADVISORY.lockId(" ")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ADVISORY.lockId(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> ADVISORY.tryLock(null, "key")).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> PostgresAdvisoryLocks.create("")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PostgresAdvisoryLocks.create("a\0b")).isInstanceOf(IllegalArgumentException.class);
    }

    private static long hits(Handle handle) {
        return handle.createQuery("SELECT hits FROM visits WHERE page = 'home'").mapTo(Long.class).one();
    }
}
