package io.raceguard.jdbc;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.raceguard.lock.Lease;
import io.raceguard.lock.LeaseLostException;
import io.raceguard.lock.LeaseOptions;
import io.raceguard.lock.LockManager;
import io.raceguard.testing.contract.LockManagerContract;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The session-scoped advisory lock manager; the transaction-scoped locks are {@link PostgresAdvisoryLocksTest}'s. */
final class PostgresSessionLocksTest {

    private static final OpenDatabases DATABASES = new OpenDatabases(PostgresSessionLocksTest.class);
    private static final LeaseOptions SHORT = LeaseOptions.ttl(Duration.ofMillis(300));
    private static final LeaseOptions LONG = LeaseOptions.ttl(Duration.ofSeconds(30));

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

    /**
     * The kit on session-scoped locks. A session lock has no expiry on the server: it is held until
     * released or until its session ends. The two cases of the kit that wait out a ttl for the store
     * to drop the key are run here with the equivalent event for session locks, the holder's backend
     * being terminated. The other ttl cases apply as they are: the lease's local deadline.
     */
    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    final class Contract extends LockManagerContract {
        private LockManager locks;
        private AdvisoryLockHolders holders;

        @BeforeAll
        void createLocks() {
            holders = new AdvisoryLockHolders(DATABASES.get(DatabaseKind.POSTGRESQL));
            locks = PostgresSessionLocks.create(DATABASES.get(DatabaseKind.POSTGRESQL).dataSource());
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

        /** Every attempt and every held lease costs a connection of its own: fewer turns keep the case short. */
        @Override
        protected int hotKeyTurns() {
            return 20;
        }

        /** The kit's case with the first holder's session ended instead of its ttl waited out. */
        @Test
        @Override
        public void shouldReleaseOnlyForTheOwnerAndOnlyOnce() throws InterruptedException {
            String key = AdvisoryLockHolders.newKey();
            Lease first = locks.tryAcquire(key, SHORT).orElseThrow();
            assertThat(holders.terminate(key)).isEqualTo(1);

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
            String key = AdvisoryLockHolders.newKey();
            Lease stale = locks.tryAcquire(key, SHORT).orElseThrow();
            assertThat(holders.terminate(key)).isEqualTo(1);
            Lease current = locks.acquire(key, LONG.waitUpTo(Duration.ofSeconds(10)));

            assertThat(stale.extend(LONG.ttl())).as("the keepalive of a terminated session").isFalse();

            AtomicInteger lostCalls = new AtomicInteger();
            stale.onLost(lostCalls::incrementAndGet);
            assertThat(lostCalls).hasValue(1);
            assertThat(stale.extend(LONG.ttl())).isFalse();
            stale.release();

            assertThatThrownBy(stale::checkValid).isInstanceOf(LeaseLostException.class)
                    .hasMessageContaining("released");
            assertThat(lostCalls).hasValue(1);
            assertThat(current.isValid()).isTrue();
            assertThat(isFree(locks, key)).isFalse();
            current.release();
        }
    }

    @Test
    void shouldReportTheLeaseLostWhenItsBackendIsTerminated() throws Exception {
        try (LockManager locks = PostgresSessionLocks.create(database.dataSource())) {
            String key = AdvisoryLockHolders.newKey();
            Lease lease = locks.tryAcquire(key, LeaseOptions.ttl(Duration.ofSeconds(3)).withAutoRenew()).orElseThrow();
            CountDownLatch lost = new CountDownLatch(1);
            AtomicInteger lostCalls = new AtomicInteger();
            lease.onLost(() -> {
                lostCalls.incrementAndGet();
                lost.countDown();
            });
            lease.checkValid();

            assertThat(holders.terminate(key)).as("sessions terminated").isEqualTo(1);

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
        try (LockManager locks = PostgresSessionLocks.create(database.dataSource())) {
            String key = AdvisoryLockHolders.newKey();
            Lease lease = locks.tryAcquire(key, LONG).orElseThrow();
            List<Integer> pinned = holders.pids(key);
            assertThat(pinned).hasSize(1);

            lease.release();

            assertThat(holders.count(key)).isZero();
            for (int polls = 0; polls < 200 && holders.backendExists(pinned.get(0)); polls++) {
                Thread.sleep(50);
            }
            assertThat(holders.backendExists(pinned.get(0))).as("the pinned session 10 s after release").isFalse();
        }
    }

    @Test
    void shouldRejectBadInputBeforeAnyIo() {
        assertThatThrownBy(() -> PostgresSessionLocks.create(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> PostgresSessionLocks.builder(database.dataSource()).namespace(""))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PostgresSessionLocks.builder(database.dataSource())
                .statementTimeout(Duration.ofMillis(10))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PostgresSessionLocks.builder(database.dataSource())
                .backoff(Duration.ofMillis(5), Duration.ofMillis(1))).isInstanceOf(IllegalArgumentException.class);
    }

    private static boolean isFree(LockManager locks, String key) {
        Optional<Lease> probe = locks.tryAcquire(key, LONG);
        probe.ifPresent(Lease::release);
        return probe.isPresent();
    }
}
