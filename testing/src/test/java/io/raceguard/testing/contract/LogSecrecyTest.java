package io.raceguard.testing.contract;

import static io.raceguard.testing.Eventually.waitUntil;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.raceguard.BackendException;
import io.raceguard.counter.Counters;
import io.raceguard.counter.InMemoryCounters;
import io.raceguard.idempotency.ClaimLostException;
import io.raceguard.idempotency.Idempotency;
import io.raceguard.idempotency.IdempotencyCodec;
import io.raceguard.idempotency.IdempotencyKey;
import io.raceguard.idempotency.InMemoryIdempotencyStore;
import io.raceguard.idempotency.spi.IdempotencyRecord;
import io.raceguard.idempotency.spi.IdempotencyStore;
import io.raceguard.limit.InMemoryRateLimiter;
import io.raceguard.limit.RateLimit;
import io.raceguard.limit.RateLimiter;
import io.raceguard.lock.Lease;
import io.raceguard.lock.LeaseOptions;
import io.raceguard.lock.LockManager;
import io.raceguard.lock.LockTimeoutException;
import io.raceguard.testing.ManualTicker;
import io.raceguard.testsupport.logs.CapturedRecord;
import io.raceguard.testsupport.logs.CapturingLogProvider;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.event.Level;

/**
 * No key, owner token, payload or response ever reaches a log record above DEBUG: every primitive
 * runs with marked values, through its failure paths too (renewal and release faults, a lost lease,
 * a lost claim, a store fault), and everything the library logged is read back from a capturing
 * SLF4J provider. Runs only in the surefire execution that selects {@link CapturingLogProvider}.
 */
@Timeout(value = 1, unit = TimeUnit.MINUTES)
final class LogSecrecyTest {

    private static final Duration TTL = Duration.ofMillis(300);
    private static final IdempotencyCodec<String> TEXT = IdempotencyCodec.utf8();

    private final String mark = "secret-" + UUID.randomUUID();
    private final List<String> secrets = Collections.synchronizedList(new ArrayList<>(List.of(mark)));

    @Test
    void shouldLogNoKeyTokenOrPayloadAboveDebug() throws Exception {
        runLocks();
        runIdempotency();
        runCountersAndRateLimits();

        List<CapturedRecord> records = CapturingLogProvider.records();
        assertThat(records)
                .as("records captured; run this test in the surefire execution that sets -Dslf4j.provider=%s",
                        CapturingLogProvider.class.getName())
                .anyMatch(record -> record.level() == Level.WARN && record.message()
                        .startsWith("Could not renew a lease"))
                .anyMatch(record -> record.level() == Level.WARN && record.message()
                        .startsWith("Could not release a lease"))
                .anyMatch(record -> record.level() == Level.DEBUG && record.fullText().contains(mark));
        for (CapturedRecord record : records) {
            if (record.level().toInt() > Level.DEBUG.toInt()) {
                for (String secret : List.copyOf(secrets)) {
                    assertThat(record.fullText()).as("a record above DEBUG").doesNotContain(secret);
                }
            }
        }
    }

    private void runLocks() throws Exception {
        ManualTicker ticker = new ManualTicker();
        FaultInjectingLockBackend backend = new FaultInjectingLockBackend(ticker);
        String key = mark + ":lock";
        try (LockManager locks = LockManager.builder(backend).ticker(ticker).build()) {
            locks.withLock(key, LeaseOptions.ttl(TTL), lease -> secrets.add(lease.ownerToken()));

            Lease held = locks.acquire(key, LeaseOptions.ttl(TTL));
            secrets.add(held.ownerToken());
            assertThatThrownBy(() -> locks.acquire(key, LeaseOptions.ttl(TTL)))
                    .isInstanceOf(LockTimeoutException.class);
            held.onLost(() -> {
                throw new IllegalStateException("an onLost callback failed");
            });
            backend.giveToAnotherOwner(key);
            assertThat(held.extend(TTL)).as("extension of a lease taken over").isFalse();
            held.release();

            backend.extendFaults.set(Integer.MAX_VALUE);
            Lease renewing = locks.tryAcquire(key + ":renewing", LeaseOptions.ttl(TTL).withAutoRenew()).orElseThrow();
            secrets.add(renewing.ownerToken());
            waitUntil(() -> backend.extendCalls.get() >= 2, "renewals fail");
            assertThatThrownBy(() -> renewing.extend(TTL)).isInstanceOf(BackendException.class);
            backend.releaseFails = true;
            renewing.release();
        }
    }

    private void runIdempotency() throws Exception {
        ManualTicker ticker = new ManualTicker();
        IdempotencyStore store = InMemoryIdempotencyStore.create(ticker);
        IdempotencyStore recording = new ForwardingIdempotencyStore(store) {
            @Override
            public Optional<IdempotencyRecord> claim(
                    IdempotencyKey key, byte[] fingerprint, String owner, Duration lease, Duration retention) {
                secrets.add(owner);
                return super.claim(key, fingerprint, owner, lease, retention);
            }
        };
        Idempotency idempotency = Idempotency.builder(recording).lease(TTL).build();
        IdempotencyKey key = IdempotencyKey.of(mark + ":scope", mark + ":key");
        byte[] payload = bytes(mark + ":payload");

        idempotency.execute(key, payload, TEXT, () -> mark + ":response");
        idempotency.execute(key, payload, TEXT, () -> mark + ":response");
        idempotency.execute(key, bytes(mark + ":other payload"), TEXT, () -> mark + ":response");

        IdempotencyKey abandoned = IdempotencyKey.of(mark + ":scope", mark + ":abandoned");
        String deadOwner = mark + ":dead owner";
        store.claim(abandoned, new byte[32], deadOwner, TTL, Duration.ofHours(1));
        ticker.advance(TTL.multipliedBy(2));
        assertThat(idempotency.execute(abandoned, payload, TEXT, () -> mark + ":response")).isNotNull();

        Idempotency losing = Idempotency.builder(new ForwardingIdempotencyStore(recording) {
            @Override
            public boolean complete(IdempotencyKey claimed, String owner, byte[] response, Duration retention) {
                return false;
            }
        }).build();
        assertThatThrownBy(() -> losing.execute(IdempotencyKey.of(mark + ":scope", mark + ":lost"), payload, TEXT,
                () -> mark + ":response")).isInstanceOf(ClaimLostException.class);

        Idempotency failing = Idempotency.builder(new ForwardingIdempotencyStore(recording) {
            @Override
            public boolean complete(IdempotencyKey claimed, String owner, byte[] response, Duration retention) {
                throw new BackendException("the store is unreachable", new IllegalStateException("connection reset"));
            }
        }).build();
        assertThatThrownBy(() -> failing.execute(IdempotencyKey.of(mark + ":scope", mark + ":fault"), payload, TEXT,
                () -> mark + ":response")).isInstanceOf(BackendException.class);
    }

    private void runCountersAndRateLimits() {
        Counters counters = InMemoryCounters.create();
        counters.set(mark + ":counter", 1);
        counters.take(mark + ":counter", 2);
        counters.add(mark + ":counter", 1, 1);
        RateLimiter limiter = InMemoryRateLimiter.create(RateLimit.tokenBucket(1, Duration.ofMinutes(1)));
        limiter.tryAcquire(mark + ":limit");
        limiter.tryAcquire(mark + ":limit");
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
