package io.raceguard.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.raceguard.lock.Lease;
import io.raceguard.lock.LeaseOptions;
import io.raceguard.lock.LockManager;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.params.SetParams;
import redis.clients.jedis.util.JedisClusterCRC16;

/**
 * What the Redis lock backend must do on any Redis deployment: one subclass runs it on the shared
 * server, one on a private Redis Cluster.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
abstract class RedisLockBackendCases {

    static final Duration LONG_TTL = Duration.ofSeconds(30);
    private static final int THREADS = 20;
    private static final int ROUNDS = 20;
    private static final String RELEASE_THREAD = "raceguard-redis-lock-releases";

    private RedisLockBackend backend;

    /** @return the Redis of the subclass, started once for the class */
    abstract RedisTarget target();

    @BeforeEach
    void openBackend() {
        backend = new RedisLockBackend(target().client(), target().prefix(), false);
    }

    @AfterEach
    void closeBackendAndCheckKeys() {
        backend.close();
        target().assertNothingOutlivesItsTtl(LONG_TTL);
    }

    private static String newKey() {
        return "order:" + UUID.randomUUID();
    }

    private static String newOwner() {
        return UUID.randomUUID().toString();
    }

    private String lockKey(String key) {
        return SlotKeys.tagged(target().prefix(), key);
    }

    private String fenceKey(String key) {
        return lockKey(key) + RedisLockBackend.FENCE_SUFFIX;
    }

    private UnifiedJedis client() {
        return target().client();
    }

    @Test
    void shouldGrantAFreeKeyAndRefuseItWhileHeld() {
        String key = newKey();
        String owner = newOwner();

        OptionalLong token = backend.tryAcquire(key, owner, LONG_TTL);

        assertThat(token).isPresent();
        assertThat(backend.tryAcquire(key, newOwner(), LONG_TTL)).isEmpty();
        assertThat(backend.tryAcquire(key, owner, LONG_TTL)).as("the same owner again").isEmpty();
        assertThat(client().get(lockKey(key))).isEqualTo(owner);
        assertThat(client().pttl(lockKey(key))).isBetween(1L, LONG_TTL.toMillis());
        assertThat(backend.release(key, owner)).isTrue();
    }

    @Test
    void shouldMintStrictlyIncreasingTokensAcrossHoldersInQuickSuccession() {
        String key = newKey();
        long previous = 0;
        for (int holder = 0; holder < 200; holder++) {
            String owner = newOwner();
            long token = backend.tryAcquire(key, owner, LONG_TTL).orElseThrow();
            assertThat(token).as("token of holder %d", holder).isGreaterThan(previous);
            assertThat(backend.release(key, owner)).isTrue();
            previous = token;
        }
    }

    @Test
    void shouldKeepTokensIncreasingWhenALockExpiresInsteadOfBeingReleased() throws InterruptedException {
        String key = newKey();
        long first = backend.tryAcquire(key, newOwner(), Duration.ofMillis(50)).orElseThrow();
        awaitGone(lockKey(key));
        awaitGone(fenceKey(key));

        long second = backend.tryAcquire(key, newOwner(), LONG_TTL).orElseThrow();

        assertThat(second).isGreaterThan(first);
    }

    @Test
    void shouldReleaseOnlyForTheOwnerAndOnlyOnce() {
        String key = newKey();
        String owner = newOwner();
        backend.tryAcquire(key, owner, LONG_TTL).orElseThrow();

        assertThat(backend.release(key, newOwner())).as("a stranger's release").isFalse();
        assertThat(client().get(lockKey(key))).isEqualTo(owner);
        assertThat(backend.release(key, owner)).isTrue();
        assertThat(backend.release(key, owner)).as("a repeated release").isFalse();
        assertThat(client().exists(lockKey(key))).isFalse();
    }

    @Test
    void shouldExtendOnlyForTheOwner() {
        String key = newKey();
        String owner = newOwner();
        backend.tryAcquire(key, owner, Duration.ofSeconds(5)).orElseThrow();

        assertThat(backend.extend(key, newOwner(), LONG_TTL)).as("a stranger's extension").isFalse();
        assertThat(client().pttl(lockKey(key))).isLessThanOrEqualTo(5_000);
        assertThat(backend.extend(key, owner, LONG_TTL)).isTrue();

        assertThat(client().pttl(lockKey(key))).isGreaterThan(5_000);
        assertThat(client().pttl(fenceKey(key))).isGreaterThan(5_000);
        assertThat(backend.release(key, owner)).isTrue();
        assertThat(backend.extend(key, owner, LONG_TTL)).as("extending a released lock").isFalse();
    }

    @Test
    void shouldLeaveTheFenceKeyToExpireByTheEndOfTheLocksTtlAfterARelease() throws InterruptedException {
        String key = newKey();
        String owner = newOwner();
        Duration ttl = Duration.ofSeconds(1);
        backend.tryAcquire(key, owner, ttl).orElseThrow();

        assertThat(backend.release(key, owner)).isTrue();

        assertThat(client().pttl(fenceKey(key))).as("ms left of the fence key (-2: already gone)")
                .isBetween(-2L, ttl.toMillis());
        awaitGone(fenceKey(key));
    }

    @Test
    void shouldCutTheFenceKeyBackOnTheReleaseOfALockThatHadMoreThanTenSecondsLeft() {
        String key = newKey();
        String owner = newOwner();
        long token = backend.tryAcquire(key, owner, LONG_TTL).orElseThrow();

        assertThat(backend.release(key, owner)).isTrue();

        assertThat(client().pttl(fenceKey(key))).as("ms left of the fence key, cut to 2 ms past its token (-2: gone)")
                .isBetween(-2L, 3L);
        assertTheNextHolderGetsALargerToken(key, token);
    }

    @Test
    void shouldKeepTokensIncreasingWhileTheLastTokenIsAheadOfTheServerClock() {
        String key = newKey();
        long ahead = lastTokenTwentySecondsAheadOfTheServerClock(key);
        String owner = newOwner();

        long token = backend.tryAcquire(key, owner, Duration.ofSeconds(5)).orElseThrow();
        assertThat(token).isEqualTo(ahead + 1);
        assertThat(backend.release(key, owner)).isTrue();

        assertThat(client().pttl(fenceKey(key)))
                .as("ms the fence key is kept after the release: until the clock passed it")
                .isBetween(10_000L, 20_003L);
        assertTheNextHolderGetsALargerToken(key, token);
    }

    @Test
    void shouldNotLetAShortExtensionExpireTheFenceKeyBeforeTheClockPassedItsToken() {
        String key = newKey();
        lastTokenTwentySecondsAheadOfTheServerClock(key);
        String owner = newOwner();
        long token = backend.tryAcquire(key, owner, Duration.ofSeconds(5)).orElseThrow();

        assertThat(backend.extend(key, owner, Duration.ofSeconds(1))).isTrue();

        assertThat(client().pttl(lockKey(key))).isBetween(1L, 1_000L);
        assertThat(client().pttl(fenceKey(key))).as("ms the fence key is kept after a 1 s extension")
                .isBetween(10_000L, 20_003L);
        assertThat(backend.release(key, owner)).isTrue();
        assertTheNextHolderGetsALargerToken(key, token);
    }

    /**
     * As after the server's clock stepped back: the last token minted for the key lies 20 s ahead,
     * further than the 5 s ttl the tests then take the lock for.
     *
     * @return that token
     */
    private long lastTokenTwentySecondsAheadOfTheServerClock(String key) {
        long ahead = ServerTime.micros(client(), lockKey(key)) + 20_000_000;
        client().set(fenceKey(key), Long.toString(ahead), SetParams.setParams().px(LONG_TTL.toMillis()));
        return ahead;
    }

    /** Takes and releases the free {@code key} once more, then deletes its fence key. */
    private void assertTheNextHolderGetsALargerToken(String key, long token) {
        String next = newOwner();
        assertThat(backend.tryAcquire(key, next, LONG_TTL).orElseThrow()).isGreaterThan(token);
        assertThat(backend.release(key, next)).isTrue();
        client().del(fenceKey(key));
    }

    @Test
    void shouldRoundTripAKeyWithLuaMetacharactersQuotesNewlinesAndFourKilobytesOfUtf8() throws Exception {
        String key = "]]'\"\\ redis.call('FLUSHALL') -- %s %7D {tag} }{ \n\r\t "
                + "äöü€😀中文".repeat(4096 / 19 + 1); // 19 bytes of UTF-8 each
        assertThat(key.getBytes(StandardCharsets.UTF_8).length).isGreaterThan(4096);
        String twin = key.replace("}", "%7D"); // the escaped form of the key must not collide with it
        String owner = newOwner();

        long token = backend.tryAcquire(key, owner, LONG_TTL).orElseThrow();
        long twinToken = backend.tryAcquire(twin, owner, LONG_TTL).orElseThrow();

        assertThat(client().get(lockKey(key))).isEqualTo(owner);
        assertThat(lockKey(key)).startsWith(target().prefix() + "{").isNotEqualTo(lockKey(twin));
        assertThat(JedisClusterCRC16.getSlot(fenceKey(key)))
                .isEqualTo(JedisClusterCRC16.getSlot(lockKey(key)));
        assertThat(backend.tryAcquire(key, newOwner(), LONG_TTL)).isEmpty();
        assertThat(token).isPositive();
        assertThat(twinToken).isPositive();
        assertThat(backend.release(key, owner)).isTrue();
        assertThat(backend.release(twin, owner)).isTrue();

        try (RedisLockBackend notifying = new RedisLockBackend(client(), target().prefix(), true)) {
            assertThat(wakesOnRelease(notifying, key)).isTrue();
        }
    }

    @Test
    void shouldLetTwentyGatedThreadsRaceANaiveGetThenSetLockIntoSeveralWinners() throws Exception {
        int mostWinners = 0;
        for (int round = 0; round < ROUNDS && mostWinners <= 1; round++) {
            String naiveLock = target().prefix() + "naive:" + UUID.randomUUID();
            List<Boolean> won = Gate.runTogether(THREADS, () -> {
                if (client().get(naiveLock) == null) { // check ...
                    client().set(naiveLock, newOwner()); // ... then act: another thread may be in between
                    return true;
                }
                return false;
            });
            client().del(naiveLock);
            mostWinners = Math.max(mostWinners, (int) won.stream().filter(w -> w).count());
        }
        assertThat(mostWinners).as("most holders of one naive lock at once in %d rounds", ROUNDS).isGreaterThan(1);
    }

    @Test
    void shouldLetRedisLocksGrantExactlyOneOfTwentyGatedContendersInEveryRound() throws Exception {
        try (LockManager locks = RedisLocks.builder(client()).keyPrefix(target().prefix()).build()) {
            for (int round = 0; round < ROUNDS; round++) {
                String key = newKey();
                List<Optional<Lease>> leases = Gate.runTogether(THREADS,
                        () -> locks.tryAcquire(key, LeaseOptions.ttl(LONG_TTL)));
                assertThat(leases).filteredOn(Optional::isPresent).as("holders in round %d", round).hasSize(1);
                leases.forEach(lease -> lease.ifPresent(Lease::release));
            }
        }
    }

    @Test
    void shouldWakeAWaiterWhenTheLockIsReleasedNotWhenItsWaitRunsOut() throws Exception {
        try (RedisLockBackend notifying = new RedisLockBackend(client(), target().prefix(), true)) {
            assertThat(wakesOnRelease(notifying, newKey())).isTrue();
        }
    }

    @Test
    void shouldSeeAReleaseBetweenAFailedAttemptAndTheWaitThatFollows() throws Exception {
        try (RedisLockBackend notifying = new RedisLockBackend(client(), target().prefix(), true)) {
            awaitSubscribed(notifying);
            String key = newKey();
            String holder = newOwner();
            notifying.tryAcquire(key, holder, LONG_TTL).orElseThrow();
            ExecutorService waiter = Executors.newSingleThreadExecutor();
            try {
                CountDownLatch attempted = new CountDownLatch(1);
                CountDownLatch released = new CountDownLatch(1);
                Future<?> waited = waiter.submit(() -> {
                    assertThat(notifying.tryAcquire(key, newOwner(), LONG_TTL)).isEmpty();
                    attempted.countDown();
                    assertThat(released.await(30, TimeUnit.SECONDS)).isTrue();
                    // the release is already published: only the note taken before the attempt can see it
                    notifying.awaitRelease(key, Duration.ofMinutes(5));
                    return null;
                });
                assertThat(attempted.await(30, TimeUnit.SECONDS)).isTrue();
                assertThat(notifying.release(key, holder)).isTrue();
                released.countDown();
                waited.get(30, TimeUnit.SECONDS);
            } finally {
                waiter.shutdownNow();
            }
        }
    }

    @Test
    void shouldWakeOneWaiterPerRelease() throws Exception {
        try (RedisLockBackend notifying = new RedisLockBackend(client(), target().prefix(), true)) {
            awaitSubscribed(notifying);
            String key = newKey();
            String owner = newOwner();
            notifying.tryAcquire(key, owner, LONG_TTL).orElseThrow();
            ExecutorService waiters = Executors.newFixedThreadPool(2);
            try {
                Callable<Void> wait = () -> {
                    notifying.awaitRelease(key, Duration.ofMinutes(5));
                    return null;
                };
                Future<Void> first = waiters.submit(wait);
                Future<Void> second = waiters.submit(wait);
                Thread.sleep(100); // time to register; a slower waiter would see the lock free and return
                assertThat(notifying.release(key, owner)).isTrue();
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (!first.isDone() && !second.isDone()) {
                    assertThat(System.nanoTime()).as("a waiter woken in time").isLessThan(deadline);
                    Thread.sleep(10);
                }
                Thread.sleep(200);
                assertThat(first.isDone() && second.isDone()).as("both woken by one release").isFalse();

                notifying.tryAcquire(key, owner, LONG_TTL).orElseThrow();
                assertThat(notifying.release(key, owner)).isTrue();
                first.get(30, TimeUnit.SECONDS);
                second.get(30, TimeUnit.SECONDS);
            } finally {
                waiters.shutdownNow();
            }
        }
    }

    @Test
    void shouldReturnAtOnceWhenTheAwaitedLockIsAlreadyFree() throws Exception {
        try (RedisLockBackend notifying = new RedisLockBackend(client(), target().prefix(), true)) {
            awaitSubscribed(notifying);
            ExecutorService waiter = Executors.newSingleThreadExecutor();
            try {
                Future<?> waited = waiter.submit(() -> {
                    notifying.awaitRelease(newKey(), Duration.ofMinutes(5));
                    return null;
                });
                waited.get(30, TimeUnit.SECONDS); // a five-minute wait that ends at once: nothing to wait for
            } finally {
                waiter.shutdownNow();
            }
        }
    }

    @Test
    void shouldSubscribeAgainAndWakeWaitersAfterItsConnectionIsKilled() throws Exception {
        Set<String> othersBefore = pubSubClients();
        try (RedisLockBackend notifying = new RedisLockBackend(client(), target().prefix(), true)) {
            awaitSubscribed(notifying);
            Set<String> ours = pubSubClients();
            ours.removeAll(othersBefore);
            assertThat(ours).as("the subscription's connection").isNotEmpty();

            for (String client : ours) {
                String[] masterAndId = client.split(" ");
                try (Jedis jedis = target().connect(HostAndPort.from(masterAndId[0]))) {
                    jedis.sendCommand(Protocol.Command.CLIENT, "KILL", "ID", masterAndId[1]);
                }
            }
            // Waits meanwhile are plain pauses; the listener subscribes again on its own.
            awaitSubscribed(notifying);
            assertThat(pubSubClients()).as("a new subscription connection").doesNotContainAnyElementsOf(ours);
            assertThat(wakesOnRelease(notifying, newKey())).isTrue();
        }
    }

    /** @return {@code "<master> <client id>"} of every pub/sub connection on the target's masters */
    private Set<String> pubSubClients() {
        Set<String> clients = new java.util.HashSet<>();
        for (HostAndPort master : target().masters()) {
            try (Jedis jedis = target().connect(master)) {
                Object list = jedis.sendCommand(Protocol.Command.CLIENT, "LIST", "TYPE", "pubsub");
                for (String line : new String((byte[]) list, StandardCharsets.UTF_8).split("\n")) {
                    if (line.startsWith("id=")) {
                        clients.add(master + " " + line.substring(3, line.indexOf(' ')));
                    }
                }
            }
        }
        return clients;
    }

    @Test
    void shouldLeaveNoSubscriberThreadRunningAfterClose() throws Exception {
        Set<Thread> before = releaseThreads();
        RedisLockBackend notifying = new RedisLockBackend(client(), target().prefix(), true);
        awaitSubscribed(notifying);
        Set<Thread> started = releaseThreads();
        started.removeAll(before);
        assertThat(started).hasSize(1);

        notifying.close();

        assertThat(started).allSatisfy(thread -> assertThat(thread.isAlive()).isFalse());
        assertThat(subscribers()).isZero();
    }

    /**
     * Holds {@code key}, lets a waiter wait for it with a five-minute limit, releases it, and
     * reports whether the waiter returned within half a minute, which only a message can explain.
     */
    private boolean wakesOnRelease(RedisLockBackend notifying, String key) throws Exception {
        String owner = newOwner();
        notifying.tryAcquire(key, owner, LONG_TTL).orElseThrow();
        awaitSubscribed(notifying);
        ExecutorService waiter = Executors.newSingleThreadExecutor();
        try {
            Future<?> waited = waiter.submit(() -> {
                notifying.awaitRelease(key, Duration.ofMinutes(5));
                return null;
            });
            // Give the waiter time to register; if it is slower, the release is seen by its EXISTS check.
            Thread.sleep(100);
            assertThat(waited).isNotDone();
            assertThat(notifying.release(key, owner)).isTrue();
            waited.get(30, TimeUnit.SECONDS);
            return true;
        } finally {
            waiter.shutdownNow();
        }
    }

    /** Starts the backend's subscription with a first wait, and waits until Redis counts the subscriber. */
    private void awaitSubscribed(RedisLockBackend notifying) throws InterruptedException {
        notifying.awaitRelease(newKey(), Duration.ofMillis(1));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (subscribers() < 1) {
            assertThat(System.nanoTime()).as("subscription seen by Redis in time").isLessThan(deadline);
            Thread.sleep(10);
        }
        // The subscribe reply reaches the client just after Redis counts it.
        notifying.awaitRelease(newKey(), Duration.ofMillis(50));
    }

    private long subscribers() {
        String channel = target().prefix() + "released";
        long total = 0;
        for (HostAndPort master : target().masters()) {
            try (Jedis jedis = target().connect(master)) {
                total += jedis.pubsubNumSub(channel).getOrDefault(channel, 0L);
            }
        }
        return total;
    }

    private static Set<Thread> releaseThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> thread.getName().equals(RELEASE_THREAD))
                .collect(Collectors.toCollection(java.util.HashSet::new));
    }

    private void awaitGone(String redisKey) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (client().exists(redisKey)) {
            assertThat(System.nanoTime()).as("%s expired in time", redisKey).isLessThan(deadline);
            Thread.sleep(10);
        }
    }

    /** @return tokens of {@code holders} successive holders of one key, each releasing at once */
    List<Long> successiveTokens(String key, int holders) {
        return successiveTokens(key, holders, LONG_TTL);
    }

    /** @return tokens of {@code holders} successive holders of one key with {@code ttl}, each releasing at once */
    List<Long> successiveTokens(String key, int holders, Duration ttl) {
        List<Long> tokens = new ArrayList<>(holders);
        for (int i = 0; i < holders; i++) {
            String owner = newOwner();
            tokens.add(backend.tryAcquire(key, owner, ttl).orElseThrow());
            backend.release(key, owner);
        }
        return tokens;
    }
}
