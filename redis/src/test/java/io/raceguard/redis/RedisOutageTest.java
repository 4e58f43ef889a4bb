package io.raceguard.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.raceguard.lock.Lease;
import io.raceguard.lock.LeaseLostException;
import io.raceguard.lock.LeaseOptions;
import io.raceguard.lock.LockManager;
import io.raceguard.testsupport.RedisProcesses;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.exceptions.JedisException;

/**
 * A {@link RedisLocks} lease that renews itself, on a {@code redis-server} started for each test,
 * when that server becomes unreachable mid-lease: paused for longer than the ttl ({@code CLIENT PAUSE
 * ALL}), or killed and restarted on the same port. Renewal fails, {@code onLost} fires once, a worker
 * loop guarded by {@link Lease#checkValid()} stops, and once the server is back the same lock
 * manager, on the same client, takes and releases the lock again. Closing the manager then leaves no
 * Raceguard thread running.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
final class RedisOutageTest {

    private static final String PREFIX = "rg_outage:";
    private static final Duration TTL = Duration.ofSeconds(2);
    private static final Duration LONGER_THAN_TTL = TTL.multipliedBy(3);
    private static final long BOUND_SECONDS = 30;
    /** Store calls give up well within a renewal period, as {@link LockManager} asks of the client. */
    private static final DefaultJedisClientConfig FAIL_FAST = DefaultJedisClientConfig.builder()
            .connectionTimeoutMillis(600).socketTimeoutMillis(600).build();

    private final OwnThreads threads = new OwnThreads();
    private final ExecutorService workers = Executors.newSingleThreadExecutor();
    private RedisProcesses node;
    private RedisClient client;
    private LockManager locks;

    @BeforeEach
    void start() {
        node = RedisProcesses.masters(1);
        client = RedisClient.builder().hostAndPort(node.address(0)).clientConfig(FAIL_FAST).build();
        locks = RedisLocks.builder(client).keyPrefix(PREFIX).build();
    }

    @AfterEach
    void stop() throws InterruptedException {
        workers.shutdownNow();
        workers.awaitTermination(BOUND_SECONDS, TimeUnit.SECONDS);
        if (locks != null) {
            locks.close();
            client.close();
            node.close();
        }
    }

    @Test
    void shouldLoseTheLeaseWhileTheServerIsPausedAndLockAgainOnceItAnswers() throws Exception {
        Outage outage = new Outage();

        node.pause(0, LONGER_THAN_TTL);
        outage.awaitLoss();
        awaitAnswering();

        outage.assertRecovered();
    }

    @Test
    void shouldLoseTheLeaseWhileTheServerIsDownAndLockAgainAfterItRestarts() throws Exception {
        Outage outage = new Outage();

        node.kill(0);
        outage.awaitLoss();
        node.restart(0);

        outage.assertRecovered();
    }

    /** Waits, bounded, until the paused server answers the test's own client again. */
    private void awaitAnswering() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(BOUND_SECONDS);
        while (true) {
            try {
                client.ping();
                return;
            } catch (JedisException stillPaused) {
                assertThat(System.nanoTime()).as("the server answering again in time").isLessThan(deadline);
                Thread.sleep(50);
            }
        }
    }

    /** A renewing lease with an {@code onLost} counter and a worker guarded by it, taken before the fault. */
    private final class Outage {
        private final String key = "report:" + UUID.randomUUID();
        private final AtomicInteger lostCalls = new AtomicInteger();
        private final CountDownLatch lost = new CountDownLatch(1);
        private final AtomicInteger steps = new AtomicInteger();
        private final Lease lease;
        private final Future<?> worker;

        Outage() throws InterruptedException {
            lease = locks.acquire(key, LeaseOptions.ttl(TTL).withAutoRenew());
            lease.onLost(() -> {
                lostCalls.incrementAndGet();
                lost.countDown();
            });
            worker = workers.submit(() -> {
                while (true) {
                    lease.checkValid();
                    steps.incrementAndGet();
                    Thread.sleep(5);
                }
            });
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(BOUND_SECONDS);
            while (steps.get() == 0) {
                assertThat(System.nanoTime()).as("the worker starting in time").isLessThan(deadline);
                Thread.sleep(5);
            }
        }

        void awaitLoss() throws Exception {
            assertThat(lost.await(BOUND_SECONDS, TimeUnit.SECONDS)).as("onLost fired in time").isTrue();
            assertThatThrownBy(lease::checkValid).isInstanceOf(LeaseLostException.class);
            assertThatThrownBy(() -> worker.get(BOUND_SECONDS, TimeUnit.SECONDS))
                    .as("the worker guarded by checkValid() stopped").hasCauseInstanceOf(LeaseLostException.class);
        }

        void assertRecovered() throws Exception {
            Lease again = locks.acquire(key, LeaseOptions.ttl(TTL).waitUpTo(Duration.ofSeconds(BOUND_SECONDS)));
            assertThat(again.fencingToken()).isGreaterThan(lease.fencingToken());
            assertThat(client.exists(SlotKeys.tagged(PREFIX, key))).as("the new lease on the server").isTrue();
            lease.release();
            assertThat(client.exists(SlotKeys.tagged(PREFIX, key))).as("the new lease after the lost one's release")
                    .isTrue();
            again.release();
            assertThat(client.exists(SlotKeys.tagged(PREFIX, key))).as("the lock key after release").isFalse();
            assertThat(lostCalls).as("onLost calls").hasValue(1);

            locks.close();
            threads.assertAllEnded();
        }
    }
}
