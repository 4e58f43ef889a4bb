package io.raceguard.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.raceguard.BackendException;
import io.raceguard.counter.Counters;
import io.raceguard.idempotency.Idempotency;
import io.raceguard.idempotency.IdempotencyCodec;
import io.raceguard.idempotency.IdempotencyKey;
import io.raceguard.limit.RateLimit;
import io.raceguard.limit.RateLimiter;
import io.raceguard.lock.Lease;
import io.raceguard.lock.LeaseOptions;
import io.raceguard.lock.LockManager;
import io.raceguard.testsupport.RedisProcesses;
import io.raceguard.testsupport.logs.CapturedRecord;
import io.raceguard.testsupport.logs.CapturingLogProvider;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.event.Level;
import redis.clients.jedis.RedisClient;

/**
 * No key, owner token, payload or response reaches a log record above DEBUG when Redis goes away:
 * every Redis primitive runs with marked values on a node of the test's own, the node is killed
 * mid-lease, every primitive then meets the fault, the renewing lease is lost and released, and
 * everything logged, Jedis's exception messages included, is read back from a capturing SLF4J
 * provider. Runs only in the surefire execution that selects {@link CapturingLogProvider}.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
final class RedisLogSecrecyTest {

    private static final IdempotencyCodec<String> TEXT = IdempotencyCodec.utf8();

    private final String mark = "secret-" + UUID.randomUUID();

    @Test
    void shouldLogNoKeyTokenOrPayloadAboveDebugWhenTheServerGoesAway() throws InterruptedException {
        List<String> secrets = new ArrayList<>(List.of(mark));
        try (RedisProcesses node = RedisProcesses.masters(1);
                RedisClient client = RedisClient.builder().hostAndPort(node.address(0))
                        .clientConfig(RedisTarget.CLIENT_CONFIG).build();
                LockManager locks = RedisLocks.create(client)) {
            Counters counters = RedisCounters.create(client, "secrecy:counter:");
            Idempotency idempotency = Idempotency.builder(RedisIdempotencyStore.create(client, "secrecy:idempotency:"))
                    .build();
            RateLimiter limiter = RedisRateLimiter.create(client, RateLimit.tokenBucket(5, Duration.ofMinutes(1)),
                    "secrecy:limit:");
            RedisFencedWrites fenced = RedisFencedWrites.create(client, "secrecy:fenced:");
            IdempotencyKey key = IdempotencyKey.of(mark + ":scope", mark + ":key");
            byte[] payload = (mark + ":payload").getBytes(StandardCharsets.UTF_8);

            counters.set(mark + ":counter", 1);
            idempotency.execute(key, payload, TEXT, () -> mark + ":response");
            limiter.tryAcquire(mark + ":limit");
            fenced.write(mark + ":resource", 1, mark + ":value");
            Lease renewing = locks.tryAcquire(mark + ":lock", LeaseOptions.ttl(Duration.ofSeconds(3)).withAutoRenew())
                    .orElseThrow();
            secrets.add(renewing.ownerToken());
            CountDownLatch lost = new CountDownLatch(1);
            renewing.onLost(lost::countDown);

            node.kill(0);

            assertThatThrownBy(() -> counters.take(mark + ":counter", 1)).isInstanceOf(BackendException.class);
            assertThatThrownBy(() -> idempotency.execute(IdempotencyKey.of(mark + ":scope", mark + ":other"), payload,
                    TEXT,
                    () -> mark + ":response")).isInstanceOf(BackendException.class);
            assertThatThrownBy(() -> limiter.tryAcquire(mark + ":limit")).isInstanceOf(BackendException.class);
            assertThatThrownBy(() -> fenced.write(mark + ":resource", 2, mark + ":value"))
                    .isInstanceOf(BackendException.class);
            assertThatThrownBy(() -> locks.tryAcquire(mark + ":other lock", LeaseOptions.ttl(Duration.ofSeconds(3))))
                    .isInstanceOf(BackendException.class);
            assertThat(lost.await(60, TimeUnit.SECONDS)).as("the lease is lost once its renewals fail to its deadline")
                    .isTrue();
            renewing.release();
        }

        List<CapturedRecord> records = CapturingLogProvider.records();
        assertThat(records)
                .as("records captured; run this test in the surefire execution that sets -Dslf4j.provider=%s",
                        CapturingLogProvider.class.getName())
                .anyMatch(record -> record.level() == Level.WARN && record.message()
                        .startsWith("Could not renew a lease"))
                .anyMatch(record -> record.level() == Level.WARN && record.message()
                        .startsWith("Could not release a lease"));
        for (CapturedRecord record : records) {
            if (record.level().toInt() > Level.DEBUG.toInt()) {
                for (String secret : secrets) {
                    assertThat(record.fullText()).as("a record above DEBUG").doesNotContain(secret);
                }
            }
        }
    }
}
