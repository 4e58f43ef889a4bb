package io.raceguard.testing.contract;

import static io.raceguard.testing.Eventually.waitUntil;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.raceguard.BackendException;
import io.raceguard.lock.Lease;
import io.raceguard.lock.LeaseLostException;
import io.raceguard.lock.LeaseOptions;
import io.raceguard.lock.LockManager;
import io.raceguard.lock.LockTimeoutException;
import io.raceguard.testing.ManualTicker;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The lease-lock engine's own behaviour, on a store whose latency, faults and memory the test
 * controls, and on a manual ticker: backoff, interrupts, deadlines, renewal failures, shutdown.
 */
@Timeout(value = 1, unit = TimeUnit.MINUTES)
final class LockEngineTest {

    private static final String KEY = "engine-test";
    private static final String SCHEDULER_THREAD_PREFIX = "raceguard-leases-";
    private static final Duration TTL = Duration.ofMillis(300);

    private final ManualTicker ticker = new ManualTicker();
    private final FaultInjectingLockBackend backend = new FaultInjectingLockBackend(ticker);
    private final LockManager locks = LockManager.builder(backend)
            .ticker(ticker)
            .backoff(Duration.ofMillis(2), Duration.ofMillis(50))
            .build();

    @AfterEach
    void closeLocks() {
        locks.close();
    }

    private Lease take(LeaseOptions options) {
        return locks.tryAcquire(KEY, options).orElseThrow();
    }

    @Test
    void shouldBoundEveryPauseByTheBackoffCeilingAndTheRemainingWait() {
        backend.giveToAnotherOwner(KEY);
        backend.pausesMoveTheTicker = true;
        Duration wait = Duration.ofMillis(300);

        assertThatThrownBy(() -> locks.acquire(KEY, LeaseOptions.ttl(TTL).waitUpTo(wait)))
                .isInstanceOf(LockTimeoutException.class)
                .hasMessageContaining(wait.toString());

        List<Duration> pauses = backend.pauses();
        Duration waited = Duration.ZERO;
        for (int attempt = 0; attempt < pauses.size(); attempt++) {
            Duration pause = pauses.get(attempt);
            Duration ceiling = Duration.ofMillis(Math.min(50, 2L << Math.min(attempt, 20)));
            Duration remaining = wait.minus(waited);
            assertThat(pause).as("pause %d", attempt).isLessThanOrEqualTo(ceiling).isLessThanOrEqualTo(remaining);
            if (pause.compareTo(remaining) < 0) {
                assertThat(pause).as("pause %d, not cut by the wait", attempt)
                        .isGreaterThanOrEqualTo(Duration.ofMillis(2));
            }
            waited = waited.plus(pause);
        }
        assertThat(waited).as("pauses add up to the wait time, never beyond").isEqualTo(wait);
        assertThat(backend.acquireCalls).as("one attempt per pause, plus the first").hasValue(pauses.size() + 1);
        // at a constant 2 ms the 300 ms would take 150 pauses; growing pauses take far fewer
        assertThat(pauses).as("pauses grow").hasSizeLessThan(60);
    }

    @Test
    void shouldMakeOneAttemptWhenTheWaitIsZero() {
        backend.giveToAnotherOwner(KEY);

        assertThatThrownBy(() -> locks.acquire(KEY, LeaseOptions.ttl(TTL))).isInstanceOf(LockTimeoutException.class);

        assertThat(backend.acquireCalls).hasValue(1);
        assertThat(backend.pauses()).isEmpty();
    }

    @Test
    void shouldStopWaitingWhenInterruptedAndHoldNothing() throws InterruptedException {
        backend.giveToAnotherOwner(KEY);
        AtomicReference<Throwable> outcome = new AtomicReference<>();
        Thread waiter = new Thread(() -> {
            try {
                locks.acquire(KEY, LeaseOptions.ttl(TTL).waitUpTo(Duration.ofMinutes(1)));
            } catch (Throwable thrown) {
                outcome.set(thrown);
            }
        });
        waiter.start();
        waitUntil(() -> !backend.pauses().isEmpty(), "the waiter pauses");

        waiter.interrupt();
        waiter.join(TimeUnit.SECONDS.toMillis(10));

        assertThat(waiter.isAlive()).as("waiter still running").isFalse();
        assertThat(outcome.get()).isInstanceOf(InterruptedException.class);
        assertThat(backend.ownerOf(KEY)).isEqualTo("another-owner");
    }

    @Test
    void shouldPresentANewOwnerTokenOnEachAttemptSoThatALateUndoCannotFreeTheLeaseWonLater()
            throws InterruptedException {
        backend.giveToAnotherOwnerFor(KEY, Duration.ofMillis(100));
        backend.pausesMoveTheTicker = true;

        Lease lease = locks.acquire(KEY, LeaseOptions.ttl(TTL).waitUpTo(Duration.ofSeconds(10)));
        List<String> owners = backend.attemptOwners();
        List<String> failedAttempts = owners.subList(0, owners.size() - 1);
        // a store that undoes a failed attempt on other threads (Redlock) may do so after a later attempt won
        failedAttempts.forEach(owner -> backend.release(KEY, owner));

        assertThat(failedAttempts).as("attempts before the key was free").isNotEmpty();
        assertThat(backend.ownerOf(KEY)).as("owner after the failed attempts' late undos")
                .isEqualTo(lease.ownerToken());
    }

    @Test
    void shouldRefuseToStartWhenAlreadyInterrupted() {
        Thread.currentThread().interrupt();

        assertThatThrownBy(() -> locks.acquire(KEY, LeaseOptions.ttl(TTL))).isInstanceOf(InterruptedException.class);

        assertThat(backend.acquireCalls).hasValue(0);
    }

    @Test
    void shouldReleaseALeaseGrantedWhileTheThreadWasInterrupted() {
        backend.afterGrant = () -> Thread.currentThread().interrupt();

        assertThatThrownBy(() -> locks.acquire(KEY, LeaseOptions.ttl(TTL).waitUpTo(Duration.ofSeconds(1))))
                .isInstanceOf(InterruptedException.class);

        assertThat(Thread.interrupted()).as("interrupt status after the exception").isFalse();
        assertThat(backend.ownerOf(KEY)).as("owner left on the store").isNull();
        assertThat(backend.releaseCalls).hasValue(1);
    }

    @Test
    void shouldReleaseWhenAnInterruptedAttemptFaultedAfterTheStoreGrantedIt() {
        backend.afterGrant = () -> {
            Thread.currentThread().interrupt();
            throw new BackendException("connection aborted by the interrupt", new IllegalStateException());
        };

        assertThatThrownBy(() -> locks.acquire(KEY, LeaseOptions.ttl(TTL).waitUpTo(Duration.ofSeconds(1))))
                .isInstanceOf(InterruptedException.class)
                .satisfies(thrown -> assertThat(thrown.getSuppressed())
                        .hasAtLeastOneElementOfType(BackendException.class));

        assertThat(backend.ownerOf(KEY)).as("owner left on the store").isNull();
    }

    @Test
    void shouldMeasureDeadlinesFromJustBeforeEachStoreCall() {
        backend.latency = Duration.ofMillis(10);
        Lease lease = take(LeaseOptions.ttl(Duration.ofSeconds(1)));

        // 1000 ms ttl - (1% + 2 ms) drift - 10 ms spent in the call
        assertThat(lease.remaining()).isEqualTo(Duration.ofMillis(978));

        ticker.advance(Duration.ofMillis(100));
        backend.latency = Duration.ofMillis(5);
        assertThat(lease.extend(Duration.ofSeconds(2))).isTrue();

        // extension started at 110 ms: deadline 110 + 2000 - 22 = 2088 ms, read at 115 ms
        assertThat(lease.remaining()).isEqualTo(Duration.ofMillis(1973));
    }

    @Test
    void shouldTellReleasedLostAndExpiredApart() {
        Lease released = take(LeaseOptions.ttl(TTL));
        released.release();
        assertThatThrownBy(released::checkValid).isInstanceOf(LeaseLostException.class)
                .hasMessageContaining("released");

        Lease expired = take(LeaseOptions.ttl(TTL));
        ticker.advance(TTL);
        assertThatThrownBy(expired::checkValid).isInstanceOf(LeaseLostException.class)
                .hasMessageContaining("past its safety deadline");
        assertThat(expired.isValid()).isFalse();
        assertThat(expired.remaining()).isZero();

        backend.giveToAnotherOwner(KEY);
        assertThat(expired.extend(TTL)).isFalse();
        assertThatThrownBy(expired::checkValid).isInstanceOf(LeaseLostException.class)
                .hasMessageContaining("lost").hasMessageContaining("no longer holds");
    }

    @Test
    void shouldMintDistinctRandomOwnerTokens() {
        Set<String> tokens = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            Lease lease = locks.tryAcquire(KEY + i, LeaseOptions.ttl(TTL)).orElseThrow();
            assertThat(lease.ownerToken()).matches("[0-9a-f]{32}");
            assertThat(backend.ownerOf(KEY + i)).isEqualTo(lease.ownerToken());
            tokens.add(lease.ownerToken());
        }
        assertThat(tokens).hasSize(200);
    }

    @Test
    void shouldFireOnLostAtTheDeadlineOfANonRenewingLeaseAndNotBefore() throws InterruptedException {
        Lease lease = take(LeaseOptions.ttl(Duration.ofMillis(100)));
        LossCounter lost = new LossCounter();
        lease.onLost(lost);

        // the timer looks at the ticker, not at the wall clock: with the ticker standing still, no loss
        assertThat(lost.awaitFirstCall(Duration.ofMillis(300))).as("lost before the ticker reached the deadline")
                .isFalse();
        ticker.advance(Duration.ofMillis(100));

        assertThat(lost.awaitFirstCall(Duration.ofSeconds(10))).as("lost at the deadline").isTrue();
        assertThat(lease.isValid()).isFalse();
        assertThatThrownBy(lease::checkValid).hasMessageContaining("lost").hasMessageContaining("deadline");
        assertThat(lost.calls()).isEqualTo(1);
        assertThat(backend.extendCalls).as("a non-renewing lease never renews").hasValue(0);
    }

    @Test
    void shouldFollowAnExtendedDeadlineWhenWatchingForLoss() throws InterruptedException {
        Lease lease = take(LeaseOptions.ttl(Duration.ofMillis(100)));
        LossCounter lost = new LossCounter();
        lease.onLost(lost);

        ticker.advance(Duration.ofMillis(50));
        assertThat(lease.extend(Duration.ofSeconds(1))).isTrue();
        ticker.advance(Duration.ofMillis(100));

        assertThat(lost.awaitFirstCall(Duration.ofMillis(300))).as("lost at the first deadline despite the extension")
                .isFalse();
        assertThat(lease.isValid()).isTrue();
        ticker.advance(Duration.ofSeconds(1));
        assertThat(lost.awaitFirstCall(Duration.ofSeconds(10))).as("lost at the extended deadline").isTrue();
    }

    @Test
    void shouldRecoverWhenFailedRenewalsSucceedBeforeTheDeadline() {
        backend.latency = Duration.ofMillis(100); // the ticker reads 100 ms once the lease is granted
        backend.extendFaults.set(2);
        Lease lease = take(LeaseOptions.ttl(TTL).withAutoRenew());
        backend.latency = Duration.ZERO;
        LossCounter lost = new LossCounter();
        lease.onLost(lost);
        assertThat(lease.remaining()).isEqualTo(Duration.ofMillis(195));

        // two renewals throw, the third succeeds and measures its deadline from 100 ms: 100 + 300 - 5
        waitUntil(() -> lease.remaining().equals(Duration.ofMillis(295)), "a renewal succeeds after two faults");

        assertThat(backend.extendCalls.get()).isGreaterThanOrEqualTo(3);
        assertThat(lost.calls()).isZero();
        ticker.advance(Duration.ofMillis(250)); // past the first deadline, before the renewed one
        assertThat(lease.isValid()).isTrue();
    }

    @Test
    void shouldLoseALeaseWhoseRenewalsFailUntilItsDeadline() throws InterruptedException {
        backend.extendFaults.set(Integer.MAX_VALUE);
        Lease lease = take(LeaseOptions.ttl(TTL).withAutoRenew());
        LossCounter lost = new LossCounter();
        lease.onLost(lost);
        waitUntil(() -> backend.extendCalls.get() >= 2, "renewals fail and are retried");
        assertThat(lease.isValid()).as("valid while the deadline has not passed").isTrue();
        assertThat(lost.calls()).isZero();

        ticker.advance(TTL);

        assertThat(lost.awaitFirstCall(Duration.ofSeconds(10))).as("lost once the deadline passed unconfirmed")
                .isTrue();
        assertThatThrownBy(lease::checkValid).hasMessageContaining("lost").hasMessageContaining("renewal");
        assertThat(lost.calls()).isEqualTo(1);
    }

    @Test
    void shouldLoseARenewingLeaseAtOnceWhenTheStoreNoLongerHoldsIt() throws InterruptedException {
        Lease lease = take(LeaseOptions.ttl(TTL).withAutoRenew());
        LossCounter lost = new LossCounter();
        lease.onLost(lost);

        backend.giveToAnotherOwner(KEY);

        assertThat(lost.awaitFirstCall(Duration.ofSeconds(10))).as("lost at the first refused renewal").isTrue();
        int renewalsSoFar = backend.extendCalls.get();
        assertThatThrownBy(lease::checkValid).hasMessageContaining("no longer holds");
        lease.onLost(lost);
        assertThat(lost.calls()).as("the first callback once, the late one at once").isEqualTo(2);
        Thread.sleep(TTL.toMillis()); // three renewal periods
        assertThat(backend.extendCalls).as("renewals after the loss").hasValue(renewalsSoFar);
    }

    @Test
    void shouldNeverRenewAfterRelease() throws InterruptedException {
        Lease lease = take(LeaseOptions.ttl(Duration.ofMillis(60)).withAutoRenew());
        waitUntil(() -> backend.extendCalls.get() >= 2, "the lease renews");

        lease.release();
        int renewalsAtRelease = backend.extendCalls.get();
        Thread.sleep(300); // fifteen renewal periods

        assertThat(backend.extendCalls).as("renewals after release").hasValue(renewalsAtRelease);
        assertThat(backend.ownerOf(KEY)).isNull();
    }

    @Test
    void shouldKeepTheLeaseWhenAnExtensionFaults() {
        Lease lease = take(LeaseOptions.ttl(TTL));
        backend.extendFaults.set(1);

        assertThatThrownBy(() -> lease.extend(TTL)).isInstanceOf(BackendException.class);

        assertThat(lease.isValid()).isTrue();
        assertThat(lease.extend(TTL)).isTrue();
    }

    @Test
    void shouldSwallowAStoreFaultOnReleaseAndReleaseOnlyOnce() {
        Lease lease = take(LeaseOptions.ttl(TTL));
        backend.releaseFails = true;

        lease.release();
        lease.close();

        assertThat(backend.releaseCalls).hasValue(1);
        assertThatThrownBy(lease::checkValid).hasMessageContaining("released");
    }

    @Test
    void shouldRunTheOtherCallbacksWhenOneThrows() {
        Lease lease = take(LeaseOptions.ttl(TTL));
        LossCounter lost = new LossCounter();
        lease.onLost(() -> {
            throw new IllegalStateException("a broken callback");
        });
        lease.onLost(lost);
        backend.giveToAnotherOwner(KEY);

        assertThat(lease.extend(TTL)).isFalse();

        assertThat(lost.calls()).isEqualTo(1);
    }

    @Test
    void shouldStartNoThreadForLeasesWithoutRenewalOrCallbacks() throws InterruptedException {
        Set<Thread> before = schedulerThreads();

        for (int i = 0; i < 100; i++) {
            locks.tryAcquire(KEY, LeaseOptions.ttl(TTL)).orElseThrow().release();
            locks.acquire(KEY, LeaseOptions.ttl(TTL)).close();
        }

        Set<Thread> started = schedulerThreads();
        started.removeAll(before);
        assertThat(started).as("threads started").isEmpty();
    }

    @Test
    void shouldEndItsThreadAndRefuseNewLeasesOnClose() throws InterruptedException {
        Set<Thread> before = schedulerThreads();
        Lease lease = take(LeaseOptions.ttl(TTL).withAutoRenew());
        waitUntil(() -> backend.extendCalls.get() >= 1, "the lease renews");
        Set<Thread> started = schedulerThreads();
        started.removeAll(before);
        assertThat(started).as("threads started for renewals").hasSize(1);

        locks.close();
        locks.close();

        for (Thread thread : started) {
            thread.join(TimeUnit.SECONDS.toMillis(10));
            assertThat(thread.isAlive()).as("%s after close", thread.getName()).isFalse();
        }
        assertThat(backend.closeCalls).hasValue(1);
        assertThatThrownBy(() -> locks.tryAcquire(KEY, LeaseOptions.ttl(TTL)))
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> locks.acquire(KEY, LeaseOptions.ttl(TTL))).isInstanceOf(IllegalStateException.class);
        lease.release();
        assertThat(backend.ownerOf(KEY)).as("a lease can still be released after close").isNull();
    }

    @Test
    void shouldCloseFromALossCallbackWithoutWaitingForItself() throws InterruptedException {
        Lease lease = take(LeaseOptions.ttl(TTL).withAutoRenew());
        CountDownLatch closed = new CountDownLatch(1);
        lease.onLost(() -> {
            locks.close();
            closed.countDown();
        });

        backend.giveToAnotherOwner(KEY);

        assertThat(closed.await(3, TimeUnit.SECONDS)).as("close returned inside the callback").isTrue();
    }

    @Test
    void shouldRejectInvalidBackoff() {
        assertThatThrownBy(() -> LockManager.builder(backend).backoff(Duration.ofMillis(5), Duration.ofMillis(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("max");
        assertThatThrownBy(() -> LockManager.builder(backend).backoff(Duration.ZERO, Duration.ofMillis(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("min");
        assertThatThrownBy(() -> LockManager.builder(backend).backoff(null, Duration.ofMillis(1)))
                .isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> LockManager.builder(null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void shouldRefuseToSetAnOptionTwiceNamingIt() {
        assertThatThrownBy(() -> LockManager.builder(backend)
                        .backoff(Duration.ofMillis(1), Duration.ofMillis(2))
                        .backoff(Duration.ofMillis(1), Duration.ofMillis(2)))
                .isInstanceOf(IllegalStateException.class).hasMessageStartingWith("backoff was already set");
        assertThatThrownBy(() -> LockManager.builder(backend).ticker(ticker).ticker(ticker))
                .isInstanceOf(IllegalStateException.class).hasMessageStartingWith("ticker was already set");
    }

    private static Set<Thread> schedulerThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> thread.getName().startsWith(SCHEDULER_THREAD_PREFIX))
                .collect(Collectors.toCollection(HashSet::new));
    }
}
