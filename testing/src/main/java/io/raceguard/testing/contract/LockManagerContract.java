package io.raceguard.testing.contract;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raceguard.internal.Inputs;
import io.raceguard.lock.Lease;
import io.raceguard.lock.LeaseLostException;
import io.raceguard.lock.LeaseOptions;
import io.raceguard.lock.LockManager;
import io.raceguard.lock.LockTimeoutException;
import io.raceguard.testing.Hammer;
import io.raceguard.testing.Invariant;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestReporter;
import org.junit.jupiter.api.Timeout;

/**
 * The behaviour every {@link LockManager} must show, whatever its store. A backend's test extends
 * this class and supplies the manager:
 *
 * <pre>{@code
 * final class RedisLocksTest extends LockManagerContract {
 *     private final LockManager locks = RedisLocks.create(client);
 *     @AfterEach void close() { locks.close(); }
 *     @Override protected LockManager locks() { return locks; }
 * }
 * }</pre>
 *
 * <p>Every case works on fresh random keys, so a shared store needs no cleanup between cases and
 * cases may run against one manager. Time-based cases use ttls of a few hundred milliseconds and
 * wait through {@link #passTime}; the whole class runs in a few seconds on a real store.
 *
 * <p>What it checks: mutual exclusion and fencing-token order under 20 threads released together
 * (on the {@link Hammer}, 2 rounds, each round's per-round table reported to the test);
 * no waiting in {@code tryAcquire}; owner-checked, idempotent release; validity after release and
 * after the ttl; manual extension and auto-renewal; loss on a refused extension with exactly one
 * {@code onLost} call; wait timeouts; no starved waiter on a hot key;
 * {@code withLock} releasing on return and on a checked
 * exception; and bad input rejected before it has any effect.
 *
 * <p><b>Bad input</b> is checked property-style too: keys, amounts and durations generated from a fixed
 * seed (empty, blank, 10 KB, control characters, unpaired surrogates, Lua and SQL metacharacters,
 * non-BMP, {@code Long} and {@code Duration} extremes), each either rejected before any effect or
 * round-tripped exactly. A failure names its seed; {@code -Draceguard.inputs.seed=<seed>} replays it
 * or tries another.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
public abstract class LockManagerContract {

    /** Long enough never to expire during a case. */
    private static final Duration LONG_TTL = Duration.ofSeconds(30);
    /** Short enough to wait out; long enough that a busy machine does not expire it by accident. */
    private static final Duration SHORT_TTL = Duration.ofMillis(300);
    /**
     * Renewals run at a third of the ttl on a scheduler thread: a longer ttl leaves a loaded machine
     * room to run them late without the lease reaching its safety deadline.
     */
    private static final Duration RENEWING_TTL = Duration.ofMillis(900);
    private static final int ON_TIME_ATTEMPTS = 4;
    private static final int THREADS = 20;
    private static final int ROUNDS = 2;
    private static final int GENERATED_KEYS = 24;
    private static final int HOT_KEY_WAITERS = 8;
    private static final int HOT_KEY_TURNS = 200;
    /** Short, but long enough that a waiter descheduled for a moment misses few turns of the others. */
    private static final long HOT_KEY_SECTION_NANOS = 100_000;

    private final String keyPrefix = "raceguard-contract:" + UUID.randomUUID() + ":";
    private final ContractKeys keys = new ContractKeys();
    private final GeneratedInputs inputs = new GeneratedInputs();

    /**
     * @return the manager under test; the same instance for the whole test case. The subclass owns
     *     it and closes it.
     */
    protected abstract LockManager locks();

    /**
     * Lets {@code duration} pass for both the store's clock and the manager's ticker. The default
     * sleeps. An override that moves a fake clock must still let real time pass: renewals run on a
     * real timer.
     *
     * @param duration how long
     * @throws InterruptedException if interrupted
     */
    protected void passTime(Duration duration) throws InterruptedException {
        Thread.sleep(duration.toMillis());
    }

    /**
     * @return how many times each waiter of {@link #shouldServeEveryWaiterOfAHotKeyInTurn} takes the
     *     hot key; {@value #HOT_KEY_TURNS} unless a backend whose every attempt costs a new connection
     *     asks for fewer
     */
    protected int hotKeyTurns() {
        return HOT_KEY_TURNS;
    }

    /** @return a key no other case and no other run uses */
    private String newKey() {
        return keyPrefix + UUID.randomUUID();
    }

    private Lease hold(String key, Duration ttl) {
        return locks().tryAcquire(key, LeaseOptions.ttl(ttl))
                .orElseThrow(() -> new AssertionError("a free key could not be taken"));
    }

    private boolean isFree(String key) {
        Optional<Lease> probe = locks().tryAcquire(key, LeaseOptions.ttl(LONG_TTL));
        probe.ifPresent(Lease::release);
        return probe.isPresent();
    }

    /**
     * Twenty threads released together contend for one key, each waiting for its turn: at most one
     * is ever inside its critical section, and the fencing tokens grow in the order the sections ran,
     * in each of {@value #ROUNDS} rounds on a fresh key.
     *
     * @param reporter gets the hammer's verdict and per-round table
     */
    @Test
    public void shouldExcludeConcurrentHoldersAndIssueIncreasingFencingTokens(TestReporter reporter) {
        AtomicReference<String> key = new AtomicReference<>();
        LeaseOptions options = LeaseOptions.ttl(LONG_TTL).waitUpTo(Duration.ofSeconds(50));
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger mostInside = new AtomicInteger();
        List<Long> tokensInRunOrder = Collections.synchronizedList(new ArrayList<>());

        ContractHammer.create(THREADS, ROUNDS, reporter)
                .beforeEachRound(() -> {
                    key.set(newKey());
                    mostInside.set(0);
                    tokensInRunOrder.clear();
                })
                .fire(() -> locks().withLock(key.get(), options, lease -> {
                    mostInside.accumulateAndGet(inside.incrementAndGet(), Math::max);
                    tokensInRunOrder.add(lease.fencingToken());
                    Thread.yield(); // give an overlapping holder every chance to show up
                    lease.checkValid();
                    inside.decrementAndGet();
                    return lease.fencingToken();
                }))
                .expect(Invariant.unique("fencing token", token -> token),
                        Invariant.that("one holder at a time", round ->
                                assertEquals(1, mostInside.get(), "most holders inside the critical section at once")),
                        Invariant.that("every holder had its turn", round ->
                                assertEquals(THREADS, tokensInRunOrder.size(), "critical sections run")),
                        Invariant.that("fencing tokens grow in run order", round -> {
                            for (int i = 1; i < tokensInRunOrder.size(); i++) {
                                assertTrue(tokensInRunOrder.get(i) > tokensInRunOrder.get(i - 1),
                                        "fencing tokens in run order must strictly increase: " + tokensInRunOrder);
                            }
                        }),
                        Invariant.that("the key is free after the last holder", round ->
                                assertTrue(isFree(key.get()), "the key is free after the last holder")));
    }

    /** {@code tryAcquire} on a held key returns empty at once; another key is unaffected. */
    @Test
    public void shouldNotTakeAHeldKey() {
        String key = newKey();
        try (Lease held = hold(key, LONG_TTL)) {
            assertTrue(locks().tryAcquire(key, LeaseOptions.ttl(LONG_TTL)).isEmpty(), "second owner got a held key");
            assertTrue(isFree(newKey()), "an unrelated key is free");
            held.checkValid();
        }
    }

    /**
     * Release is owner-checked and idempotent: a holder whose lease expired and was taken over
     * cannot free the key from the new holder, however often it releases, and the new holder's
     * fencing token is greater.
     *
     * @throws InterruptedException if interrupted while time passes
     */
    @Test
    public void shouldReleaseOnlyForTheOwnerAndOnlyOnce() throws InterruptedException {
        String key = newKey();
        Lease first = hold(key, SHORT_TTL);
        passTime(SHORT_TTL.multipliedBy(2));

        Lease second = hold(key, LONG_TTL);
        first.release();
        first.release();

        assertAll(
                () -> assertFalse(isFree(key), "a stale holder's release freed the new holder's key"),
                () -> assertTrue(second.isValid(), "the new holder's lease"),
                () -> assertTrue(second.fencingToken() > first.fencingToken(),
                        "the new holder's fencing token " + second.fencingToken()
                                + " must exceed the stale holder's " + first.fencingToken()));
        second.release();
        second.release();
        assertTrue(isFree(key), "the key is free after its holder released it");
    }

    /** After release the lease is invalid, checkValid throws, and nothing remains. */
    @Test
    public void shouldBeInvalidAfterRelease() {
        String key = newKey();
        Lease lease = hold(key, LONG_TTL);
        lease.checkValid();
        assertTrue(lease.remaining().compareTo(Duration.ZERO) > 0, "time left on a fresh lease");

        lease.release();

        LeaseLostException lost = assertThrows(LeaseLostException.class, lease::checkValid);
        assertAll(
                () -> assertEquals(key, lost.key()),
                () -> assertTrue(lost.getMessage().contains("released"), lost.getMessage()),
                () -> assertFalse(lease.isValid()),
                () -> assertEquals(Duration.ZERO, lease.remaining()));
    }

    /**
     * Once the ttl has passed, the lease is invalid and checkValid says the deadline passed.
     *
     * @throws InterruptedException if interrupted while time passes
     */
    @Test
    public void shouldBeInvalidAfterItsTtl() throws InterruptedException {
        Lease lease = hold(newKey(), SHORT_TTL);

        passTime(SHORT_TTL.multipliedBy(2));

        LeaseLostException lost = assertThrows(LeaseLostException.class, lease::checkValid);
        assertAll(
                () -> assertTrue(lost.getMessage().contains("deadline"), lost.getMessage()),
                () -> assertFalse(lease.isValid()),
                () -> assertEquals(Duration.ZERO, lease.remaining()));
        lease.release();
    }

    /**
     * An extension keeps the lease, on the store too, beyond its first ttl.
     *
     * @throws InterruptedException if interrupted while time passes
     */
    @Test
    public void shouldKeepAnExtendedLeaseBeyondItsFirstTtl() throws InterruptedException {
        for (int attempt = 1; ; attempt++) {
            String key = newKey();
            long heldAt = System.nanoTime();
            Lease lease = hold(key, SHORT_TTL);
            passTime(SHORT_TTL.dividedBy(3));
            boolean extended = lease.extend(LONG_TTL);
            // A refusal proves nothing if this thread reached the store only near the ttl's end (a
            // loaded machine): try again on a fresh key, and fail on a refusal that came on time.
            boolean late = System.nanoTime() - heldAt >= SHORT_TTL.toNanos() * 2 / 3;
            if (!extended && late && attempt < ON_TIME_ATTEMPTS) {
                lease.release();
                continue;
            }
            assertTrue(extended, "extension of a held lease");
            passTime(SHORT_TTL.multipliedBy(2));

            lease.checkValid();
            assertFalse(isFree(key), "the store let the extended lease expire at its first ttl");
            lease.release();
            assertTrue(isFree(key), "the key is free after release");
            return;
        }
    }

    /**
     * Auto-renewal keeps a lease across several ttls, and stops with the release: the key is free
     * at once and the released lease never reports a loss.
     *
     * @throws InterruptedException if interrupted while time passes
     */
    @Test
    public void shouldRenewAutomaticallyUntilReleased() throws InterruptedException {
        String key = newKey();
        Lease lease = locks().tryAcquire(key, LeaseOptions.ttl(RENEWING_TTL).withAutoRenew())
                .orElseThrow(() -> new AssertionError("a free key could not be taken"));
        LossCounter lost = new LossCounter();
        lease.onLost(lost);

        for (int ttls = 0; ttls < 3; ttls++) {
            passTime(RENEWING_TTL);
            lease.checkValid();
            assertFalse(isFree(key), "the store let a renewing lease expire after " + (ttls + 1) + " ttls");
        }
        lease.release();

        assertTrue(isFree(key), "the key is free right after release");
        passTime(SHORT_TTL.multipliedBy(2));
        assertEquals(0, lost.calls(), "onLost calls on a renewed, then released lease");
        assertFalse(lease.isValid());
    }

    /**
     * An extension the store refuses because another owner took the key marks the lease lost and
     * fires each onLost callback exactly once (one registered after the loss runs at once); the stale
     * lease's release leaves the new holder alone.
     *
     * @throws InterruptedException if interrupted while time passes
     */
    @Test
    public void shouldLoseALeaseWhoseKeyWasTakenOver() throws InterruptedException {
        String key = newKey();
        Lease stale = hold(key, SHORT_TTL);
        passTime(SHORT_TTL.multipliedBy(2));
        Lease current = hold(key, LONG_TTL);

        assertFalse(stale.extend(LONG_TTL), "the store extended a lease another owner holds");

        LossCounter lost = new LossCounter();
        stale.onLost(lost);
        assertEquals(1, lost.calls(), "onLost calls right after registering on a lost lease");
        assertFalse(stale.extend(LONG_TTL), "a lost lease was extended");
        stale.release();

        LeaseLostException thrown = assertThrows(LeaseLostException.class, stale::checkValid);
        assertAll(
                () -> assertEquals(1, lost.calls(), "onLost calls in all"),
                () -> assertFalse(stale.isValid()),
                () -> assertTrue(thrown.getMessage().contains("released"), thrown.getMessage()),
                () -> assertTrue(current.isValid(), "the new holder's lease"),
                () -> assertFalse(isFree(key), "the stale holder freed the new holder's key"));
        current.release();
    }

    /**
     * A lease that does not renew but has an onLost callback is reported lost once its deadline
     * passes, without anyone calling it, and exactly once.
     *
     * @throws InterruptedException if interrupted while time passes
     */
    @Test
    public void shouldReportLossAtTheDeadlineOfAWatchedLease() throws InterruptedException {
        Lease lease = hold(newKey(), SHORT_TTL);
        LossCounter lost = new LossCounter();
        lease.onLost(lost);

        passTime(SHORT_TTL.multipliedBy(2));

        assertTrue(lost.awaitFirstCall(Duration.ofSeconds(10)), "onLost did not fire after the deadline passed");
        assertFalse(lease.extend(LONG_TTL), "a lost lease was extended");
        lease.release();
        LeaseLostException thrown = assertThrows(LeaseLostException.class, lease::checkValid);
        assertAll(
                () -> assertEquals(1, lost.calls(), "onLost calls"),
                () -> assertTrue(thrown.getMessage().contains("released"), thrown.getMessage()));
    }

    /** A lease released before its deadline never reports a loss. */
    @Test
    public void shouldNotReportLossAfterRelease() throws InterruptedException {
        Lease lease = hold(newKey(), SHORT_TTL);
        LossCounter lost = new LossCounter();
        lease.onLost(lost);

        lease.release();
        passTime(SHORT_TTL.multipliedBy(2));
        lease.onLost(lost);

        assertEquals(0, lost.calls(), "onLost calls on a released lease");
    }

    /** {@code acquire} on a key held for longer than the wait time gives up with a timeout. */
    @Test
    public void shouldTimeOutWaitingForABusyKey() throws InterruptedException {
        String key = newKey();
        try (Lease held = hold(key, LONG_TTL)) {
            LeaseOptions briefWait = LeaseOptions.ttl(LONG_TTL).waitUpTo(SHORT_TTL);

            LockTimeoutException timeout = assertThrows(LockTimeoutException.class, () -> locks()
                    .acquire(key, briefWait));

            assertEquals(key, timeout.key());
            assertTrue(held.isValid(), "the holder's lease");
            assertThrows(LockTimeoutException.class, () -> locks().acquire(key, LeaseOptions.ttl(LONG_TTL)),
                    "acquire without a wait time makes one attempt");
        }
        assertTrue(isFree(key), "a timed-out waiter left a lease behind");
    }

    /**
     * {@value #HOT_KEY_WAITERS} threads take one key {@link #hotKeyTurns()} times each, back to back,
     * with a short critical section: every waiter completes, and no waiter starves. Starving is
     * counted, not timed: while one waiter waits, the others take the key some number of times. In
     * turn that is once each; the bound allows {@value #HOT_KEY_WAITERS} times each, room for a waiter
     * that the machine descheduled between its count and its call, while a backoff lottery lets a few
     * waiters take the key hundreds of times while one sleeps. Each thread takes the key once before
     * the measured run, so class loading and JIT do not count. The longest wait in units of the run's
     * median hold times the waiters is reported too.
     *
     * @param reporter gets the most overtaken and the longest wait of the run
     */
    @Test
    @Timeout(value = 10, unit = TimeUnit.MINUTES) // 1,600 acquisitions and releases, each committed
    public void shouldServeEveryWaiterOfAHotKeyInTurn(TestReporter reporter) throws Exception {
        String key = newKey();
        LeaseOptions options = LeaseOptions.ttl(LONG_TTL).waitUpTo(Duration.ofSeconds(60));
        AtomicLong grants = new AtomicLong();
        int turns = hotKeyTurns();
        long[][] overtakes = new long[HOT_KEY_WAITERS][turns];
        long[][] waits = new long[HOT_KEY_WAITERS][turns];
        long[][] holds = new long[HOT_KEY_WAITERS][turns];
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> waiters = new ArrayList<>();
        List<Throwable> failures = Collections.synchronizedList(new ArrayList<>());
        for (int w = 0; w < HOT_KEY_WAITERS; w++) {
            int waiter = w;
            Thread thread = new Thread(() -> {
                try {
                    locks().acquire(key, options).release();
                    start.await();
                    for (int turn = 0; turn < turns; turn++) {
                        long grantsBefore = grants.get();
                        long askedAt = System.nanoTime();
                        Lease lease = locks().acquire(key, options);
                        long grantedAt = System.nanoTime();
                        overtakes[waiter][turn] = grants.incrementAndGet() - grantsBefore - 1;
                        LockSupport.parkNanos(HOT_KEY_SECTION_NANOS); // the critical section
                        lease.release();
                        holds[waiter][turn] = System.nanoTime() - grantedAt;
                        waits[waiter][turn] = grantedAt - askedAt;
                    }
                } catch (Throwable failure) {
                    failures.add(failure);
                }
            }, "raceguard-contract-hot-key-" + w);
            thread.start();
            waiters.add(thread);
        }
        start.countDown();
        for (Thread thread : waiters) {
            thread.join();
        }

        assertEquals(List.of(), failures, "waiters that failed");
        assertEquals((long) HOT_KEY_WAITERS * turns, grants.get(), "acquisitions");
        long mostOvertaken = Arrays.stream(overtakes).flatMapToLong(Arrays::stream).max().orElseThrow();
        long[] sortedHolds = Arrays.stream(holds).flatMapToLong(Arrays::stream).sorted().toArray();
        long medianHold = Math.max(1, sortedHolds[sortedHolds.length / 2]);
        long longestWait = Arrays.stream(waits).flatMapToLong(Arrays::stream).max().orElseThrow();
        reporter.publishEntry("hot key", String.format(
                "most overtaken wait: %d acquisitions by others; longest wait %.1f x (median hold %d us x %d waiters)",
                mostOvertaken, (double) longestWait / (medianHold * HOT_KEY_WAITERS), medianHold / 1000,
                HOT_KEY_WAITERS));
        assertTrue(mostOvertaken <= (long) HOT_KEY_WAITERS * HOT_KEY_WAITERS,
                "a waiter saw " + mostOvertaken + " acquisitions by others while it waited; at most "
                        + HOT_KEY_WAITERS * HOT_KEY_WAITERS + " allowed");
    }

    /** {@code acquire} waits for a key its holder releases meanwhile. */
    @Test
    public void shouldTakeAKeyOnceItsHolderReleasesIt() throws Exception {
        String key = newKey();
        Lease held = hold(key, LONG_TTL);
        CountDownLatch waiting = new CountDownLatch(1);
        Thread releaser = new Thread(() -> {
            try {
                waiting.await();
                passTime(SHORT_TTL.dividedBy(3));
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
            } finally {
                held.release();
            }
        }, "raceguard-contract-releaser");
        releaser.start();

        waiting.countDown();
        try (Lease taken = locks().acquire(key, LeaseOptions.ttl(LONG_TTL).waitUpTo(Duration.ofSeconds(30)))) {
            assertTrue(taken.fencingToken() > held.fencingToken(), "fencing token of the next holder");
            assertFalse(held.isValid(), "the first holder's lease");
        }
        releaser.join(SECONDS.toMillis(30));
    }

    /** {@code withLock} returns the work's result and releases the lease afterwards. */
    @Test
    public void shouldReleaseAfterWorkReturns() throws InterruptedException {
        String key = newKey();
        List<Lease> seen = new ArrayList<>();

        String result = locks().withLock(key, LeaseOptions.ttl(LONG_TTL), lease -> {
            lease.checkValid();
            seen.add(lease);
            return "done";
        });

        assertEquals("done", result);
        assertFalse(seen.get(0).isValid(), "the lease after withLock returned");
        assertTrue(isFree(key), "withLock left the key held");
    }

    /** {@code withLock} passes the work's checked exception through unchanged and releases the lease. */
    @Test
    public void shouldReleaseAndPassTheCheckedExceptionThrough() {
        String key = newKey();
        WorkFailed failure = new WorkFailed();

        WorkFailed thrown = assertThrows(WorkFailed.class, () -> locks()
                .withLock(key, LeaseOptions.ttl(LONG_TTL), lease -> {
            throw failure;
        }));

        assertSame(failure, thrown);
        assertTrue(isFree(key), "withLock left the key held after the work threw");
    }

    /** The work's own checked exception in {@link #shouldReleaseAndPassTheCheckedExceptionThrough}. */
    private static final class WorkFailed extends Exception {
        private static final long serialVersionUID = 1L;

        WorkFailed() {
            super("the work failed");
        }
    }

    /**
     * Property, over {@value #GENERATED_KEYS} generated keys (see {@link GeneratedInputs}): a key the
     * rules reject is refused by {@code tryAcquire} and {@code acquire} with an
     * {@code IllegalArgumentException} naming the key, and every look-alike a sloppy store could have
     * locked instead is still free; any other key locks exactly itself: all are held at once, each
     * lease reports its key as given, a second owner is refused each one, and release frees it.
     */
    @Test
    public void shouldRejectOrRoundTripEveryGeneratedKey() {
        List<GeneratedInputs.GeneratedKey> generated = inputs.keys(GENERATED_KEYS, keys);
        LeaseOptions options = LeaseOptions.ttl(LONG_TTL);
        List<Lease> held = new ArrayList<>();
        try {
            for (GeneratedInputs.GeneratedKey key : generated) {
                GeneratedInputs.named(key.toString(), () -> {
                    if (key.valid()) {
                        Lease lease = hold(key.key(), LONG_TTL);
                        held.add(lease);
                        assertEquals(key.key(), lease.key(), "the lease's key");
                    } else {
                        GeneratedInputs.assertNames("key",
                                assertThrows(IllegalArgumentException.class, () -> locks()
                                        .tryAcquire(key.key(), options)));
                        GeneratedInputs.assertNames("key",
                                assertThrows(IllegalArgumentException.class, () -> locks()
                                        .acquire(key.key(), options)));
                        GeneratedInputs.shadows(key.key()).forEach(shadow ->
                                assertTrue(isFree(shadow), () -> "a rejected key locked "
                                        + ContractKeys.printable(shadow)));
                    }
                });
            }
            for (Lease lease : held) {
                GeneratedInputs.named(ContractKeys.printable(lease.key()), () ->
                        assertTrue(locks().tryAcquire(lease.key(), options).isEmpty(),
                                "a second owner got a held key"));
            }
        } finally {
            held.forEach(Lease::release);
        }
        for (Lease lease : held) {
            GeneratedInputs.named(ContractKeys.printable(lease.key()),
                    () -> assertTrue(isFree(lease.key()), "free after release"));
        }
    }

    /**
     * Property, over generated durations (zero, negative, sub-millisecond, huge, the shortest and
     * longest accepted; see {@link GeneratedInputs#durations}): a ttl, wait time or extension outside
     * 1 ms to {@link Inputs#MAX_DURATION} (a wait time may also be zero) is refused with an
     * {@code IllegalArgumentException} naming it, leaving the key free and a held lease as it was; any
     * other is honoured: the lease is taken and extended with at most that much time left (a store may
     * refuse a ttl below a second, shorter than its clock-drift margin, but never throws for it).
     */
    @Test
    public void shouldRejectOrHonourEveryGeneratedDuration() {
        List<Duration> durations = inputs.durations();
        for (int i = 0; i < durations.size(); i++) {
            Duration duration = durations.get(i);
            GeneratedInputs.named(inputs.caseName(i) + ": " + duration, () -> {
                String key = newKey();
                boolean valid = GeneratedInputs.isValidPositive(duration);
                // A store may refuse a ttl shorter than its clock-drift margin (Redlock does); a second is never that.
                boolean certain = valid && duration.compareTo(Duration.ofSeconds(1)) >= 0;
                try (Lease lease = hold(key, LONG_TTL)) {
                    long token = lease.fencingToken();
                    if (valid) {
                        boolean extended = lease.extend(duration);
                        assertTrue(extended || !certain, "extension of a held lease");
                        assertTrue(lease.remaining().compareTo(duration) <= 0, "time left after the extension: "
                                + lease.remaining());
                    } else {
                        GeneratedInputs.assertNames("ttl",
                                assertThrows(IllegalArgumentException.class, () -> lease.extend(duration)));
                        assertTrue(lease.isValid(), "the lease after a rejected extension");
                        assertEquals(token, lease.fencingToken());
                    }
                }
                if (valid) {
                    Optional<Lease> taken = locks().tryAcquire(key, LeaseOptions.ttl(duration).waitUpTo(duration));
                    assertTrue(taken.isPresent() || !certain, "a free key could not be taken");
                    taken.ifPresent(lease -> {
                        assertTrue(lease.remaining().compareTo(duration) <= 0, "time left on a fresh lease: "
                                + lease.remaining());
                        lease.release();
                    });
                } else {
                    GeneratedInputs.assertNames("ttl",
                            assertThrows(IllegalArgumentException.class, () -> LeaseOptions.ttl(duration)));
                    if (!duration.isZero()) {
                        GeneratedInputs.assertNames("waitTime", assertThrows(IllegalArgumentException.class,
                                () -> LeaseOptions.ttl(LONG_TTL).waitUpTo(duration)));
                    }
                }
                assertTrue(isFree(key), "the key is free at the end");
            });
        }
    }

    /** Bad input is refused with the right exception before it has any effect on the store. */
    @Test
    public void shouldRejectBadInputBeforeAnyEffect() {
        String key = newKey();
        LeaseOptions options = LeaseOptions.ttl(LONG_TTL);
        String overLong = "k".repeat(Inputs.MAX_KEY_BYTES + 1);

        assertAll(
                () -> assertThrows(NullPointerException.class, () -> locks().tryAcquire(null, options)),
                () -> assertThrows(NullPointerException.class, () -> locks().acquire(null, options)),
                () -> assertThrows(IllegalArgumentException.class, () -> locks().tryAcquire(" \t", options)),
                () -> assertThrows(IllegalArgumentException.class, () -> locks().acquire("", options)),
                () -> assertThrows(IllegalArgumentException.class, () -> locks().tryAcquire(overLong, options)),
                () -> assertThrows(NullPointerException.class, () -> locks().tryAcquire(key, null)),
                () -> assertThrows(NullPointerException.class, () -> locks().acquire(key, null)),
                () -> assertThrows(NullPointerException.class, () -> locks().withLock(key, options, null)),
                () -> assertThrows(IllegalArgumentException.class, () -> LeaseOptions.ttl(Duration.ZERO)),
                () -> assertThrows(IllegalArgumentException.class, () -> LeaseOptions.ttl(Duration.ofMillis(-1))),
                () -> assertThrows(IllegalArgumentException.class, () -> options.waitUpTo(Duration.ofMillis(-1))),
                () -> assertThrows(NullPointerException.class, () -> LeaseOptions.ttl(null)));
        assertTrue(isFree(key), "a rejected call took the key");

        try (Lease lease = hold(key, LONG_TTL)) {
            long token = lease.fencingToken();
            assertAll(
                    () -> assertThrows(IllegalArgumentException.class, () -> lease.extend(Duration.ZERO)),
                    () -> assertThrows(NullPointerException.class, () -> lease.extend(null)),
                    () -> assertThrows(NullPointerException.class, () -> lease.onLost(null)));
            assertTrue(lease.isValid(), "the lease after rejected calls");
            assertEquals(token, lease.fencingToken());
        }
    }
}
