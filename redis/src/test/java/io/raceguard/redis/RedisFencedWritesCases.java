package io.raceguard.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.raceguard.Outcome;
import io.raceguard.Rejection;
import io.raceguard.lock.Lease;
import io.raceguard.lock.LeaseOptions;
import io.raceguard.lock.LockManager;
import io.raceguard.redis.RedisFencedWrites.FencedValue;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** What fenced writes must do on any Redis deployment; subclasses pick the deployment. */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
abstract class RedisFencedWritesCases {

    private static final int THREADS = 20;
    private static final int ROUNDS = 20;

    private RedisFencedWrites writes;

    /** @return the Redis of the subclass, started once for the class */
    abstract RedisTarget target();

    @BeforeEach
    void open() {
        writes = RedisFencedWrites.create(target().client(), target().prefix() + "fenced:");
    }

    @AfterEach
    void checkKeys() {
        target().assertNothingOutlivesItsTtl(RedisLockBackendCases.LONG_TTL);
    }

    private static String newResource() {
        return "report:" + UUID.randomUUID();
    }

    @Test
    void shouldAcceptANewerFenceAndRejectAnEqualOrStaleOne() {
        String resource = newResource();

        assertThat(writes.write(resource, 5, "first")).isEqualTo(Outcome.applied(5L));
        Outcome<Long> equal = writes.write(resource, 5, "same fence again");
        assertThat(equal.isApplied()).isFalse();
        assertThat(equal.rejection()).isEqualTo(Rejection.STALE_FENCE);
        Outcome<Long> stale = writes.write(resource, 4, "stale");
        assertThat(stale.isApplied()).isFalse();
        assertThat(stale.rejection()).isEqualTo(Rejection.STALE_FENCE);
        assertThat(stale.toString()).contains("recorded 5");
        assertThat(writes.read(resource)).contains(new FencedValue(5, "first"));
        assertThat(writes.write(resource, 6, "newer")).isEqualTo(Outcome.applied(6L));
        assertThat(writes.read(resource)).contains(new FencedValue(6, "newer"));

        assertThat(writes.delete(resource)).isTrue();
        assertThat(writes.delete(resource)).isFalse();
        assertThat(writes.read(resource)).isEmpty();
    }

    @Test
    void shouldCompareSixtyFourBitFencesExactly() {
        String resource = newResource();
        long beyondDoubles = (1L << 62) + 1; // as a double it equals 2^62

        assertThat(writes.write(resource, beyondDoubles, "a").isApplied()).isTrue();
        assertThat(writes.write(resource, 1L << 62, "b").isApplied()).as("2^62 after 2^62 + 1").isFalse();
        assertThat(writes.write(resource, Long.MAX_VALUE, "c").isApplied()).isTrue();
        assertThat(writes.write(resource, Long.MAX_VALUE - 1, "d").isApplied()).isFalse();
        assertThat(writes.read(resource)).contains(new FencedValue(Long.MAX_VALUE, "c"));

        String small = newResource();
        assertThat(writes.write(small, 999_999_999, "nine digits").isApplied()).isTrue();
        assertThat(writes.write(small, 99, "two digits").isApplied()).isFalse();
        assertThat(writes.write(small, 1_000_000_000, "ten digits").isApplied()).isTrue();
        assertThat(writes.write(small, 0, "zero").isApplied()).isFalse();
        writes.delete(resource);
        writes.delete(small);
    }

    @Test
    void shouldStopALockHolderThatLostItsLeaseFromOverwritingTheNextHolder() throws InterruptedException {
        String resource = newResource();
        try (LockManager locks = RedisLocks.builder(target().client()).keyPrefix(target().prefix() + "lock:").build()) {
            Lease paused = locks.tryAcquire(resource, LeaseOptions.ttl(Duration.ofMillis(100))).orElseThrow();
            Thread.sleep(300); // a GC pause or a slow call: the lease expires meanwhile
            Lease next = locks.acquire(resource, LeaseOptions.ttl(Duration.ofSeconds(10))
                    .waitUpTo(Duration.ofSeconds(10)));

            assertThat(writes.write(resource, next.fencingToken(), "written by the current holder").isApplied())
                    .isTrue();
            Outcome<Long> late = writes.write(resource, paused.fencingToken(), "written by the paused holder");

            assertThat(late.isApplied()).isFalse();
            assertThat(late.rejection()).isEqualTo(Rejection.STALE_FENCE);
            assertThat(writes.read(resource).map(FencedValue::value)).contains("written by the current holder");
            next.release();
            paused.release();
        }
        writes.delete(resource);
    }

    @Test
    void shouldRoundTripAResourceAndValueWithLuaMetacharactersQuotesNewlinesAndFourKilobytesOfUtf8() {
        String weird = "]]'\"\\ redis.call('FLUSHALL') -- %7D } { \n\r\t " + "äöü€😀中文".repeat(220);
        String twin = weird.replace("}", "%7D");
        String value = weird + "\0 a NUL, allowed in values";

        assertThat(writes.write(weird, 1, value).isApplied()).isTrue();
        assertThat(writes.write(twin, 1, "twin").isApplied()).isTrue();

        assertThat(writes.read(weird)).contains(new FencedValue(1, value));
        assertThat(writes.read(twin)).contains(new FencedValue(1, "twin"));
        writes.delete(weird);
        writes.delete(twin);
    }

    @Test
    void shouldLetTwentyGatedNaiveWritersEndOnAStaleValue() throws Exception {
        int staleEndings = 0;
        for (int round = 0; round < ROUNDS && staleEndings == 0; round++) {
            String hash = target().prefix() + "naive:" + newResource();
            AtomicInteger fences = new AtomicInteger();
            Gate.runTogether(THREADS, () -> {
                int fence = fences.incrementAndGet();
                String last = target().client().hget(hash, "fence"); // check ...
                if (last == null || Long.parseLong(last) <= fence) {
                    target().client().hset(hash,
                            java.util.Map.of("fence", Integer.toString(fence), "value", "v" + fence)); // ... then act
                }
                return null;
            });
            if (!target().client().hget(hash, "fence").equals(Integer.toString(THREADS))) {
                staleEndings++;
            }
            target().client().del(hash);
        }
        assertThat(staleEndings).as("rounds of %d where the newest fence did not win", ROUNDS).isPositive();
    }

    @Test
    void shouldKeepTheNewestOfTwentyGatedWritersInEveryRound() throws Exception {
        for (int round = 0; round < ROUNDS; round++) {
            String resource = newResource();
            AtomicInteger fences = new AtomicInteger();
            List<Outcome<Long>> outcomes = Gate.runTogether(THREADS, () -> {
                int fence = fences.incrementAndGet();
                return writes.write(resource, fence, "v" + fence);
            });
            assertThat(writes.read(resource)).as("round %d", round).contains(new FencedValue(THREADS, "v" + THREADS));
            assertThat(outcomes).filteredOn(Outcome::isApplied).isNotEmpty();
            writes.delete(resource);
        }
    }

    @Test
    void shouldRejectBadInputBeforeAnyEffect() {
        String resource = newResource();
        assertThatThrownBy(() -> writes.write(resource, -1, "v")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> writes.write(resource, 1, null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> writes.write(" ", 1, "v")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> writes.write(null, 1, "v")).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> writes.read("")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RedisFencedWrites.create(target().client(), "a}"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RedisFencedWrites.create(null)).isInstanceOf(NullPointerException.class);
        assertThat(writes.read(resource)).isEmpty();
    }
}
