package io.raceguard.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.raceguard.BackendException;
import io.raceguard.lock.Lease;
import io.raceguard.lock.LeaseOptions;
import io.raceguard.lock.LockManager;
import io.raceguard.testing.contract.LockManagerContract;
import io.raceguard.testsupport.RedisProcesses;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.params.SetParams;

/**
 * {@link Redlock} on 3 and 5 {@code redis-server} processes started for the test: it passes the
 * lock contract, keeps granting and releasing when a minority of masters dies mid-lease, refuses
 * once a majority is gone, and grants again, with the same manager and clients, once they restart.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
final class RedlockTest {

    private static final Duration TTL = Duration.ofSeconds(30);
    private static final String PREFIX = "rg_redlock:";

    private Masters masters;
    private LockManager locks;
    private final OwnThreads threads = new OwnThreads();

    @AfterEach
    void closeAndCheck() throws Exception {
        if (locks != null) {
            locks.close();
            threads.assertAllEnded();
        }
        if (masters != null) {
            masters.assertNothingOutlivesItsTtl();
            masters.close();
        }
    }

    private LockManager start(int count) {
        masters = new Masters(RedisProcesses.masters(count));
        locks = Redlock.builder(masters.clients).keyPrefix(PREFIX).build();
        return locks;
    }

    private static String newKey() {
        return "invoice:" + UUID.randomUUID();
    }

    @Test
    void shouldKeepGrantingAndReleasingWhenOneOfThreeMastersDiesMidLease() {
        LockManager redlock = start(3);
        String key = newKey();
        Lease lease = redlock.tryAcquire(key, LeaseOptions.ttl(TTL)).orElseThrow();
        assertThat(masters.holding(key)).isEqualTo(3);

        masters.kill(0);

        assertThat(lease.extend(TTL)).as("extension on 2 of 3 masters").isTrue();
        assertThat(redlock.tryAcquire(key, LeaseOptions.ttl(TTL))).as("a second owner while held").isEmpty();
        lease.release();
        assertThat(masters.holding(key)).as("masters still holding after release").isZero();
        Lease next = redlock.tryAcquire(key, LeaseOptions.ttl(TTL)).orElseThrow();
        assertThat(next.fencingToken()).isGreaterThan(lease.fencingToken());
        assertThat(masters.holding(key)).as("live masters holding the lease granted by 2 of 3").isEqualTo(2);
        next.release();
        assertThat(masters.holding(key)).as("masters still holding after its release").isZero();
    }

    @Test
    void shouldKeepGrantingWithTwoOfFiveMastersDeadAndRefuseWithThree() {
        LockManager redlock = start(5);
        String key = newKey();
        Lease lease = redlock.tryAcquire(key, LeaseOptions.ttl(TTL)).orElseThrow();

        masters.kill(1);
        masters.kill(3);

        assertThat(redlock.tryAcquire(key, LeaseOptions.ttl(TTL))).as("a second owner while held").isEmpty();
        lease.release();
        Lease next = redlock.tryAcquire(key, LeaseOptions.ttl(TTL)).orElseThrow();
        assertThat(masters.holding(key)).as("masters holding the new lease").isEqualTo(3);
        next.release();

        masters.kill(4);
        assertThatThrownBy(() -> redlock.tryAcquire(key, LeaseOptions.ttl(TTL)))
                .isInstanceOf(BackendException.class).hasMessageContaining("2 of 5");
    }

    @Test
    void shouldRefuseWhenTwoOfThreeMastersAreGoneUndoTheMinorityGrantAndGrantAgainOnceTheyRestart()
            throws InterruptedException {
        LockManager redlock = start(3);
        String key = newKey();
        masters.kill(0);
        masters.kill(2);

        assertThatThrownBy(() -> redlock.tryAcquire(key, LeaseOptions.ttl(TTL)))
                .isInstanceOf(BackendException.class).hasMessageContaining("1 of 3");

        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (masters.holding(key) > 0) {
            assertThat(System.nanoTime()).as("the minority grant undone in time").isLessThan(deadline);
            Thread.sleep(10);
        }

        masters.restart(0);
        masters.restart(2);
        Lease lease = redlock.tryAcquire(key, LeaseOptions.ttl(TTL)).orElseThrow();
        assertThat(masters.holding(key)).as("masters holding the lease, same manager and clients, after the restarts")
                .isEqualTo(3);
        lease.release();
        assertThat(masters.holding(key)).as("masters still holding after release").isZero();
    }

    @Test
    void shouldGrantOverAStaleMinorityCopyButNotOverAMajority() throws InterruptedException {
        LockManager redlock = start(3);
        String key = newKey();
        String lockKey = SlotKeys.tagged(PREFIX, key);
        SetParams otherOwner = SetParams.setParams().px(TTL.toMillis());
        masters.clients.get(0).set(lockKey, "someone-else", otherOwner);

        Lease lease = redlock.tryAcquire(key, LeaseOptions.ttl(TTL)).orElseThrow();
        lease.release();
        assertThat(masters.clients.get(0).get(lockKey)).as("another owner's copy left alone").isEqualTo("someone-else");

        masters.clients.get(1).set(lockKey, "someone-else", otherOwner);
        assertThat(redlock.tryAcquire(key, LeaseOptions.ttl(TTL))).isEmpty();

        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (masters.clients.get(2).exists(lockKey)) {
            assertThat(System.nanoTime()).as("the minority grant undone in time").isLessThan(deadline);
            Thread.sleep(10);
        }
        assertThat(masters.clients.get(1).get(lockKey)).isEqualTo("someone-else");
    }

    @Test
    void shouldRejectAnEvenOrTooSmallOrRepeatedSetOfMasters() {
        UnifiedJedis one = RedisClient.create("127.0.0.1", 1);
        UnifiedJedis two = RedisClient.create("127.0.0.1", 2);
        UnifiedJedis three = RedisClient.create("127.0.0.1", 3);
        UnifiedJedis four = RedisClient.create("127.0.0.1", 4);
        try (one; two; three; four) {
            assertThatThrownBy(() -> Redlock.create(List.of(one))).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> Redlock.create(List.of(one, two, three, four)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("odd");
            assertThatThrownBy(() -> Redlock.create(List.of(one, two, one)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("distinct");
            assertThatThrownBy(() -> Redlock.builder(List.of(one, two, three)).clockDriftFactor(0.5))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> Redlock.builder(List.of(one, two, three)).keyPrefix("a{b"))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> Redlock.create(null)).isInstanceOf(NullPointerException.class);
        }
    }

    /** The lock contract on three masters that all stay up, started afresh for each case. */
    @Nested
    final class OnThreeMasters extends LockManagerContract {
        private Masters three;
        private LockManager contractLocks;

        @BeforeEach
        void open() {
            three = new Masters(RedisProcesses.masters(3));
            contractLocks = Redlock.builder(three.clients).keyPrefix(PREFIX).build();
        }

        @AfterEach
        void closeLocks() {
            if (contractLocks != null) {
                contractLocks.close();
                three.assertNothingOutlivesItsTtl();
                three.close();
            }
        }

        @Override
        protected LockManager locks() {
            return contractLocks;
        }
    }

    /** Independent masters, a client for each, and what the tests ask of them. */
    private static final class Masters implements AutoCloseable {
        private final RedisProcesses processes;
        private final List<UnifiedJedis> clients = new ArrayList<>();
        private final List<Boolean> alive = new ArrayList<>();

        Masters(RedisProcesses processes) {
            this.processes = processes;
            processes.addresses().forEach(address -> {
                clients.add(RedisClient.builder().hostAndPort(address).clientConfig(RedisTarget.CLIENT_CONFIG).build());
                alive.add(true);
            });
        }

        void kill(int index) {
            processes.kill(index);
            alive.set(index, false);
        }

        void restart(int index) {
            processes.restart(index);
            alive.set(index, true);
        }

        /** @return how many live masters hold the lock key of {@code key} */
        int holding(String key) {
            String lockKey = SlotKeys.tagged(PREFIX, key);
            int holding = 0;
            for (int i = 0; i < clients.size(); i++) {
                if (alive.get(i) && clients.get(i).exists(lockKey)) {
                    holding++;
                }
            }
            return holding;
        }

        void assertNothingOutlivesItsTtl() {
            for (int i = 0; i < clients.size(); i++) {
                if (!alive.get(i)) {
                    continue;
                }
                UnifiedJedis client = clients.get(i);
                List<String> keys = client.scan(ScanParams.SCAN_POINTER_START, new ScanParams().match(PREFIX + "*")
                        .count(1_000))
                        .getResult();
                for (String key : keys) {
                    assertThat(client.pttl(key)).as("ms to live of %s (-2: gone since the scan)", key)
                            .isBetween(-2L, TTL.toMillis()).isNotEqualTo(-1L);
                    client.del(key);
                }
            }
        }

        @Override
        public void close() {
            clients.forEach(UnifiedJedis::close);
            processes.close();
        }
    }
}
