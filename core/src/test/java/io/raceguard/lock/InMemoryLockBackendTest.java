package io.raceguard.lock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.OptionalLong;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 1, unit = TimeUnit.MINUTES)
final class InMemoryLockBackendTest {

    private static final Duration TTL = Duration.ofMillis(100);
    private static final Duration LONG_WAIT = Duration.ofMinutes(10);

    private final AtomicLong nanos = new AtomicLong();
    private final InMemoryLockBackend backend = new InMemoryLockBackend(nanos::get);

    private void advance(Duration duration) {
        nanos.addAndGet(duration.toNanos());
    }

    @Test
    void shouldIssueIncreasingFencingTokensPerKeyAcrossExpiryAndRelease() {
        long previous = 0;
        for (int round = 0; round < 10; round++) {
            long token = backend.tryAcquire("k", "owner-" + round, TTL).orElseThrow();
            assertThat(token).isGreaterThan(previous);
            previous = token;
            backend.tryAcquire("other", "owner-" + round, TTL); // tokens of other keys interleave
            if (round % 2 == 0) {
                assertThat(backend.release("k", "owner-" + round)).isTrue();
            } else {
                advance(TTL);
            }
        }
    }

    @Test
    void shouldRefuseAHeldKeyUntilItsTtlPasses() {
        assertThat(backend.tryAcquire("k", "a", TTL)).isPresent();

        assertThat(backend.tryAcquire("k", "b", TTL)).isEmpty();
        assertThat(backend.tryAcquire("k", "a", TTL)).as("same owner again").isEmpty();
        advance(TTL.minusNanos(1));
        assertThat(backend.tryAcquire("k", "b", TTL)).isEmpty();
        advance(Duration.ofNanos(1));
        assertThat(backend.tryAcquire("k", "b", TTL)).isPresent();
    }

    @Test
    void shouldExtendAndReleaseOnlyForTheOwnerBeforeExpiry() {
        backend.tryAcquire("k", "a", TTL);

        assertThat(backend.extend("k", "b", TTL)).isFalse();
        assertThat(backend.release("k", "b")).isFalse();
        advance(TTL.dividedBy(2));
        assertThat(backend.extend("k", "a", TTL)).isTrue();
        advance(TTL.dividedBy(2).plusMillis(1));
        assertThat(backend.tryAcquire("k", "b", TTL)).as("key after its extended ttl started").isEmpty();
        assertThat(backend.release("k", "a")).isTrue();
        assertThat(backend.release("k", "a")).as("second release").isFalse();
        assertThat(backend.storedKeys()).isZero();
    }

    @Test
    void shouldRemoveAnExpiredHolderWhenItIsTouched() {
        backend.tryAcquire("extended", "a", TTL);
        backend.tryAcquire("released", "a", TTL);
        advance(TTL);

        assertThat(backend.extend("extended", "a", TTL)).isFalse();
        assertThat(backend.release("released", "a")).isFalse();

        assertThat(backend.storedKeys()).isZero();
    }

    @Test
    void shouldKeepMemoryBoundedWhenKeysExpireUntouched() {
        int keysPerRound = 1_000;
        for (int round = 0; round < 100; round++) {
            for (int i = 0; i < keysPerRound; i++) {
                backend.tryAcquire("round-" + round + "-key-" + i, "owner", TTL);
            }
            advance(TTL);
        }

        // 100,000 keys were taken and left to expire; without sweeping all would remain
        assertThat(backend.storedKeys()).isLessThanOrEqualTo(3 * keysPerRound);
    }

    @Test
    void shouldReturnAtOnceWhenTheAwaitedKeyIsFree() throws InterruptedException {
        backend.awaitRelease("free", LONG_WAIT);

        backend.tryAcquire("expired", "a", TTL);
        advance(TTL);
        backend.awaitRelease("expired", LONG_WAIT);

        assertThat(backend.waitedKeys()).isZero();
    }

    @Test
    void shouldWakeAWaiterWhenTheKeyIsReleased() throws InterruptedException {
        backend.tryAcquire("k", "a", TTL);
        CountDownLatch woken = new CountDownLatch(1);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread waiter = new Thread(() -> {
            try {
                backend.awaitRelease("k", LONG_WAIT);
                woken.countDown();
            } catch (Throwable thrown) {
                failure.set(thrown);
            }
        });
        waiter.start();
        waitUntilSomebodyWaits();

        assertThat(backend.release("k", "a")).isTrue();

        // the wait may last ten minutes; returning well within that means the release woke it
        assertThat(woken.await(30, TimeUnit.SECONDS)).as("waiter woken by the release").isTrue();
        waiter.join(TimeUnit.SECONDS.toMillis(10));
        assertThat(failure.get()).isNull();
        assertThat(backend.waitedKeys()).as("signals left behind").isZero();
    }

    @Test
    void shouldGiveUpWaitingAfterMaxWaitAndLeaveNoSignal() throws InterruptedException {
        backend.tryAcquire("k", "a", Duration.ofMinutes(1));

        backend.awaitRelease("k", Duration.ofMillis(20));

        assertThat(backend.waitedKeys()).isZero();
        assertThat(backend.tryAcquire("k", "b", TTL)).as("the key is still held").isEmpty();
    }

    @Test
    void shouldStopWaitingWhenInterrupted() {
        backend.tryAcquire("k", "a", TTL);
        Thread.currentThread().interrupt();

        assertThatThrownBy(() -> backend.awaitRelease("k", LONG_WAIT)).isInstanceOf(InterruptedException.class);

        assertThat(backend.waitedKeys()).isZero();
    }

    @Test
    void shouldNeverMintTheSameTokenTwice() {
        OptionalLong first = backend.tryAcquire("a", "x", TTL);
        OptionalLong second = backend.tryAcquire("b", "x", TTL);

        assertThat(first.orElseThrow()).isNotEqualTo(second.orElseThrow());
    }

    private void waitUntilSomebodyWaits() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (backend.waitedKeys() == 0) {
            assertThat(System.nanoTime() - deadline).as("waiter registered within 10 s").isNegative();
            Thread.sleep(2);
        }
    }
}
