package io.raceguard.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.raceguard.BackendException;
import io.raceguard.Outcome;
import io.raceguard.Rejection;
import io.raceguard.counter.Counters;
import io.raceguard.testing.contract.CountersContract;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The counters contract on {@link RedisCounters}, plus what only Redis can get wrong: doubles in
 * Lua, awkward keys inside script arguments, and a check-then-act race on the real server. After
 * each test no key of the class's prefix may remain: counters have no ttl, so the kit's own and
 * this class's tests delete every counter they create.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
abstract class RedisCountersCases extends CountersContract {

    private static final int THREADS = 20;
    private static final int ROUNDS = 10;
    private static final long STOCK = 5;

    /** @return the Redis of the subclass, started once for the class */
    abstract RedisTarget target();

    private String counterPrefix() {
        return target().prefix() + "counter:";
    }

    @Override
    protected Counters counters() {
        return RedisCounters.create(target().client(), counterPrefix());
    }

    /** Runs before the kit's own cleanup, so it deletes the kit's counters first, then checks. */
    @AfterEach
    void checkNoKeyIsLeft() {
        deleteTouchedCounters();
        target().assertNothingOutlivesItsTtl(Duration.ZERO);
    }

    private static String newKey(String name) {
        return name + ":" + UUID.randomUUID();
    }

    @Test
    void shouldOversellWithANaiveGetThenSetOnTheRealServer() throws Exception {
        String key = target().prefix() + newKey("naive-stock");
        try {
            target().client().set(key, Long.toString(STOCK));
            List<Boolean> sold = Gate.runTogether(THREADS, () -> {
                long level = Long.parseLong(target().client().get(key)); // check ...
                if (level < 1) {
                    return false;
                }
                Thread.sleep(20); // the work between the check and the write, where the race lives
                target().client().set(key, Long.toString(level - 1)); // ... then act
                return true;
            });

            assertThat(sold).as("sales of %d items, %d buyers, check-then-act", STOCK, THREADS)
                    .filteredOn(Boolean::booleanValue).hasSizeGreaterThan((int) STOCK);
        } finally {
            target().client().del(key);
        }
    }

    @Test
    void shouldNeverOversellWithTakeRoundAfterRound() throws Exception {
        Counters counters = counters();
        for (int round = 0; round < ROUNDS; round++) {
            String key = newKey("stock");
            counters.set(key, STOCK);

            List<Outcome<Long>> sales = Gate.runTogether(THREADS, () -> counters.take(key, 1));

            assertThat(sales).as("round %d", round).filteredOn(Outcome::isApplied).hasSize((int) STOCK);
            assertThat(sales).filteredOn(sale -> !sale.isApplied())
                    .allSatisfy(refused -> assertThat(refused.rejection()).isEqualTo(Rejection.CONDITION_FAILED));
            assertThat(counters.get(key)).hasValue(0);
            counters.delete(key);
        }
    }

    @Test
    void shouldKeepLevelsThatADoubleCannotHoldExact() {
        Counters counters = counters();
        String key = newKey("beyond-doubles");
        long twoTo53 = 1L << 53;
        try {
            // 2^53 + 1 and 2^63 - 2 are not doubles: a Lua number would round them to a neighbour.
            counters.set(key, twoTo53 + 1);
            assertThat(rawLevel(key)).isEqualTo(Long.toString(twoTo53 + 1));
            assertThat(counters.take(key, 1)).isEqualTo(Outcome.applied(twoTo53));
            assertThat(counters.take(key, twoTo53 + 1).rejection()).isEqualTo(Rejection.CONDITION_FAILED);
            assertThat(counters.add(key, 1, twoTo53).rejection()).as("2^53 + 1 > ceiling 2^53")
                    .isEqualTo(Rejection.CONDITION_FAILED);
            assertThat(counters.add(key, 1, twoTo53 + 1)).isEqualTo(Outcome.applied(twoTo53 + 1));

            counters.set(key, Long.MAX_VALUE - 2);
            assertThat(counters.add(key, 1, Long.MAX_VALUE - 2).rejection()).isEqualTo(Rejection.CONDITION_FAILED);
            assertThat(counters.add(key, 1, Long.MAX_VALUE - 1)).isEqualTo(Outcome.applied(Long.MAX_VALUE - 1));
            assertThat(counters.add(key, 2, Long.MAX_VALUE).rejection()).as("would pass 2^63 - 1")
                    .isEqualTo(Rejection.CONDITION_FAILED);
            assertThat(counters.add(key, 1, Long.MAX_VALUE)).isEqualTo(Outcome.applied(Long.MAX_VALUE));
            assertThat(rawLevel(key)).isEqualTo(Long.toString(Long.MAX_VALUE));
            assertThat(counters.take(key, Long.MAX_VALUE - 1)).isEqualTo(Outcome.applied(1L));
            assertThat(counters.take(key, Long.MAX_VALUE).rejection()).isEqualTo(Rejection.CONDITION_FAILED);

            // Equal lengths, differing only in the lowest digits or only in the highest.
            counters.set(key, 1_000_000_000_000_000_009L);
            assertThat(counters.take(key, 1_000_000_000_000_000_010L).rejection())
                    .isEqualTo(Rejection.CONDITION_FAILED);
            assertThat(counters.take(key, 1_000_000_000_000_000_009L)).isEqualTo(Outcome.applied(0L));
            counters.set(key, 2_000_000_000_000_000_000L);
            assertThat(counters.take(key, 1_999_999_999_999_999_999L)).isEqualTo(Outcome.applied(1L));
        } finally {
            counters.delete(key);
        }
    }

    @Test
    void shouldRoundTripAKeyWithLuaMetacharactersQuotesNewlinesAndFourKilobytesOfUtf8() {
        Counters counters = counters();
        String weird = AwkwardKey.luaMetacharactersQuotesNewlinesAndFourKilobytesOfUtf8();
        String twin = AwkwardKey.escapedTwin(weird);
        try {
            counters.set(weird, 7);
            assertThat(counters.add(twin, 1, 1)).isEqualTo(Outcome.applied(1L));

            assertThat(counters.take(weird, 2)).isEqualTo(Outcome.applied(5L));
            assertThat(counters.add(weird, 3, 8)).isEqualTo(Outcome.applied(8L));
            assertThat(counters.get(weird)).hasValue(8);
            assertThat(counters.get(twin)).hasValue(1);
            assertThat(target().client().get(SlotKeys.tagged(counterPrefix(), weird)))
                    .as("the counter under the exact key, escaped only where a brace would move the hash tag")
                    .isEqualTo("8");
        } finally {
            counters.delete(weird);
            counters.delete(twin);
        }
    }

    @Test
    void shouldKeepACounterWithoutTtlUntilItIsDeleted() {
        Counters counters = counters();
        String key = newKey("balance");
        counters.set(key, 3);
        counters.take(key, 1);
        counters.add(key, 1, 10);

        assertThat(target().client().pttl(SlotKeys.tagged(counterPrefix(), key)))
                .as("a counter is state its owner keeps: no ttl").isEqualTo(-1L);
        assertThat(counters.delete(key)).isTrue();
    }

    @Test
    void shouldReportAKeyThatHoldsNoLevelAsABackendFault() {
        Counters counters = counters();
        String key = newKey("not-a-level");
        String redisKey = SlotKeys.tagged(counterPrefix(), key);
        try {
            for (String notALevel : List.of("not a number", "-1", "+1", "07", "1.5", "9223372036854775808")) {
                target().client().set(redisKey, notALevel);

                assertThatThrownBy(() -> counters.get(key)).as(notALevel).isInstanceOf(BackendException.class);
                assertThatThrownBy(() -> counters.take(key, 1)).as(notALevel).isInstanceOf(BackendException.class);
                assertThatThrownBy(() -> counters.add(key, 1, 10)).as(notALevel).isInstanceOf(BackendException.class);
                assertThat(target().client().get(redisKey)).isEqualTo(notALevel);
            }
        } finally {
            target().client().del(redisKey);
        }
    }

    @Test
    void shouldRejectABadPrefixOrClient() {
        assertThatThrownBy(() -> RedisCounters.create(target().client(), "a{"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RedisCounters.create(target().client(), null))
                .isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> RedisCounters.create(null)).isInstanceOf(NullPointerException.class);
        assertThat(RedisCounters.create(target().client())).isNotNull();
    }

    private String rawLevel(String key) {
        return target().client().get(SlotKeys.tagged(counterPrefix(), key));
    }
}
