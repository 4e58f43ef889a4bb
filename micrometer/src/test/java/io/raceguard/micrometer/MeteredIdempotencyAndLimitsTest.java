package io.raceguard.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.raceguard.event.Instrumented;
import io.raceguard.idempotency.Idempotency;
import io.raceguard.idempotency.IdempotencyCodec;
import io.raceguard.idempotency.IdempotencyKey;
import io.raceguard.idempotency.IdempotentResult;
import io.raceguard.limit.RateLimit;
import io.raceguard.limit.RateLimitDecision;
import io.raceguard.limit.RateLimiter;
import io.raceguard.redis.RedisIdempotencyStore;
import io.raceguard.redis.RedisRateLimiter;
import io.raceguard.testing.Hammer;
import io.raceguard.testing.Invariant;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Concurrent idempotent requests and logins on a real Redis are counted exactly, one meter per outcome. */
final class MeteredIdempotencyAndLimitsTest {

    private static final int CALLERS = 20;
    private static final Hammer ONE_VOLLEY = Hammer.create().times(CALLERS).rounds(1).withoutShrinking();

    private static SharedRedis redis;

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final MeterReadings meters = new MeterReadings(registry);

    @BeforeAll
    static void openRedis() {
        redis = SharedRedis.open(MeteredIdempotencyAndLimitsTest.class);
    }

    @AfterAll
    static void closeRedis() {
        if (redis != null) {
            redis.close();
        }
    }

    @Test
    void twentyIdenticalRequestsCountOneExecutedAndNineteenReplayedOrInProgress() {
        Idempotency payments = Idempotency.builder(RedisIdempotencyStore.create(redis.client(), redis.prefix("pay")))
                .events("payments", RaceguardMeters.of(registry))
                .build();
        IdempotencyKey key = IdempotencyKey.of("user:7:POST /payments", "pay-42");
        byte[] request = "10 EUR".getBytes(StandardCharsets.UTF_8);
        AtomicInteger runs = new AtomicInteger();

        ONE_VOLLEY.fire(() -> payments.execute(key, request, IdempotencyCodec.utf8(),
                        () -> "receipt " + runs.incrementAndGet()))
                .expect(Invariant.that("the payment ran once", round -> assertThat(runs.get()).isEqualTo(1)),
                        Invariant.that("one call executed it", round -> assertThat(
                                round.count(IdempotentResult.Executed.class::isInstance)).isEqualTo(1)));

        long executed = meters.count("raceguard.idempotency.requests", "name", "payments", "backend", "redis",
                "outcome", "executed");
        long replayed = meters.count("raceguard.idempotency.requests", "name", "payments", "outcome", "replayed");
        long inProgress = meters.count("raceguard.idempotency.requests", "name", "payments", "outcome", "in_progress");
        assertThat(executed).isEqualTo(1);
        assertThat(replayed + inProgress).isEqualTo(CALLERS - 1);
        assertThat(executed + replayed + inProgress).isEqualTo(CALLERS);
    }

    @Test
    void twentyLoginsAgainstALimitOfFiveCountFiveAllowedAndFifteenRefused() {
        RateLimiter logins = Instrumented.rateLimiter(
                RedisRateLimiter.create(redis.client(), RateLimit.fixedWindow(5, Duration.ofMinutes(1)),
                        redis.prefix("login")),
                "login", RaceguardMeters.of(registry));

        ONE_VOLLEY.fire(() -> logins.tryAcquire("user:alice"))
                .expect(Invariant.that("five logins went through", round -> assertThat(
                        round.count(RateLimitDecision::allowed)).isEqualTo(5)));

        assertThat(meters.count("raceguard.ratelimit.decisions", "name", "login", "backend", "redis",
                "outcome", "allowed")).isEqualTo(5);
        assertThat(meters.count("raceguard.ratelimit.decisions", "name", "login", "backend", "redis",
                "outcome", "refused")).isEqualTo(CALLERS - 5);
    }
}
