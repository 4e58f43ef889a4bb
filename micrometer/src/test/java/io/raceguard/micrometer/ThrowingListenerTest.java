package io.raceguard.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import io.micrometer.core.instrument.distribution.pause.PauseDetector;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.raceguard.Outcome;
import io.raceguard.counter.Counters;
import io.raceguard.counter.InMemoryCounters;
import io.raceguard.event.EventSource;
import io.raceguard.event.IdempotencyEvent;
import io.raceguard.event.Instrumented;
import io.raceguard.event.RaceguardListener;
import io.raceguard.event.RetryCause;
import io.raceguard.idempotency.Idempotency;
import io.raceguard.idempotency.IdempotencyCodec;
import io.raceguard.idempotency.IdempotencyKey;
import io.raceguard.idempotency.IdempotentResult;
import io.raceguard.idempotency.InMemoryIdempotencyStore;
import io.raceguard.limit.InMemoryRateLimiter;
import io.raceguard.limit.RateLimit;
import io.raceguard.limit.RateLimiter;
import io.raceguard.lock.InMemoryLocks;
import io.raceguard.lock.Lease;
import io.raceguard.lock.LeaseOptions;
import io.raceguard.lock.LockManager;
import io.raceguard.testing.ManualTicker;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** A listener or a registry that throws never breaks a primitive: each still answers as it would unobserved. */
final class ThrowingListenerTest {

    static Stream<RaceguardListener> throwingListeners() {
        return Stream.of(new ThrowingListener(), RaceguardMeters.of(new ThrowingRegistry()));
    }

    @ParameterizedTest
    @MethodSource("throwingListeners")
    void locksStillLockAndRelease(RaceguardListener listener) throws InterruptedException {
        ManualTicker ticker = new ManualTicker();
        try (LockManager locks = InMemoryLocks.builder(ticker).events("checkout", listener).build()) {
            Lease lease = locks.acquire("order:1", LeaseOptions.ttl(Duration.ofSeconds(10)));
            assertThat(locks.tryAcquire("order:1", LeaseOptions.ttl(Duration.ofSeconds(10)))).isEmpty();
            assertThat(lease.extend(Duration.ofSeconds(10))).isTrue();
            ticker.advance(Duration.ofSeconds(30));
            lease.release();
            assertThat(locks.tryAcquire("order:1", LeaseOptions.ttl(Duration.ofSeconds(10)))).isPresent();
        }
    }

    @ParameterizedTest
    @MethodSource("throwingListeners")
    void idempotencyStillRunsOnceAndReplays(RaceguardListener listener) {
        Idempotency payments = Idempotency.builder(InMemoryIdempotencyStore.create())
                .events("payments", listener).build();
        IdempotencyKey key = IdempotencyKey.of("user:7", "pay-1");
        byte[] request = "10 EUR".getBytes(StandardCharsets.UTF_8);

        assertThat(payments.execute(key, request, IdempotencyCodec.utf8(), () -> "receipt"))
                .isEqualTo(new IdempotentResult.Executed<>("receipt"));
        assertThat(payments.execute(key, request, IdempotencyCodec.utf8(), () -> "again"))
                .isEqualTo(new IdempotentResult.Replayed<>("receipt"));
    }

    @ParameterizedTest
    @MethodSource("throwingListeners")
    void limitsAndCountersStillDecide(RaceguardListener listener) {
        RateLimiter logins = Instrumented.rateLimiter(
                InMemoryRateLimiter.create(RateLimit.fixedWindow(1, Duration.ofMinutes(1))), "login", listener);
        Counters stock = Instrumented.counters(InMemoryCounters.create(), "stock", listener);
        stock.set("sku:1", 1);

        assertThat(logins.tryAcquire("user:alice").allowed()).isTrue();
        assertThat(logins.tryAcquire("user:alice").allowed()).isFalse();
        assertThat(stock.take("sku:1", 1)).isEqualTo(Outcome.applied(0L));
        assertThat(stock.take("sku:1", 1).isApplied()).isFalse();
    }

    /** Throws from every event. */
    private static final class ThrowingListener implements RaceguardListener {
        @Override
        public void lockAcquired(EventSource source, long waitNanos) {
            throw new IllegalStateException("listener down");
        }

        @Override
        public void lockRefused(EventSource source) {
            throw new IllegalStateException("listener down");
        }

        @Override
        public void lockReleased(EventSource source, long holdNanos) {
            throw new IllegalStateException("listener down");
        }

        @Override
        public void lockLost(EventSource source) {
            throw new IllegalStateException("listener down");
        }

        @Override
        public void lockExtended(EventSource source) {
            throw new IllegalStateException("listener down");
        }

        @Override
        public void idempotency(EventSource source, IdempotencyEvent event) {
            throw new IllegalStateException("listener down");
        }

        @Override
        public void rateLimit(EventSource source, boolean allowed) {
            throw new IllegalStateException("listener down");
        }

        @Override
        public void counter(EventSource source, boolean applied) {
            throw new IllegalStateException("listener down");
        }

        @Override
        public void transactionRetried(EventSource source, RetryCause cause) {
            throw new IllegalStateException("listener down");
        }
    }

    /** A registry whose every new counter and timer fails. */
    private static final class ThrowingRegistry extends SimpleMeterRegistry {
        @Override
        protected Counter newCounter(Meter.Id id) {
            throw new IllegalStateException("registry down");
        }

        @Override
        protected Timer newTimer(Meter.Id id, DistributionStatisticConfig distributionStatisticConfig,
                PauseDetector pauseDetector) {
            throw new IllegalStateException("registry down");
        }
    }
}
