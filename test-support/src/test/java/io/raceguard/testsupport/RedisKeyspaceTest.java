package io.raceguard.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

final class RedisKeyspaceTest {

    /** More keys than several SCAN pages hold, so that the cursor has to be followed. */
    private static final int MANY = 1_200;

    @Test
    void shouldPrefixEveryKeyWithANameOfItsOwn() {
        RedisService redis = new RedisService("127.0.0.1", 6379, "no I/O happens here");
        RedisKeyspace first = redis.isolate(RedisKeyspaceTest.class);
        RedisKeyspace second = redis.isolate(RedisKeyspaceTest.class);

        assertThat(first.prefix()).matches("rg_rediskeyspacetest_[0-9a-f]{8}:").isNotEqualTo(second.prefix());
        assertThat(first.key("balance:{42}")).isEqualTo(first.prefix() + "balance:{42}");
        assertThatNullPointerException().isThrownBy(() -> first.key(null)).withMessage("suffix");
        assertThatNullPointerException().isThrownBy(() -> redis.isolate(null)).withMessage("testClass");
    }

    @Test
    void shouldListExactlyTheKeysUnderItsPrefix() {
        RedisService redis = TestServices.redis();
        try (RedisKeyspace mine = redis.isolate(RedisKeyspaceTest.class);
                RedisKeyspace neighbour = redis.isolate(RedisKeyspaceTest.class);
                Jedis jedis = redis.connect()) {
            List<String> written = writeMany(jedis, mine);
            jedis.set(neighbour.key("other"), "x");

            assertThat(mine.remainingKeys()).containsExactlyInAnyOrderElementsOf(written);
        }
    }

    @Test
    void shouldDeleteEveryKeyOfEveryTypeOnCloseAndNothingElse() {
        RedisService redis = TestServices.redis();
        try (RedisKeyspace neighbour = redis.isolate(RedisKeyspaceTest.class); Jedis jedis = redis.connect()) {
            RedisKeyspace mine = redis.isolate(RedisKeyspaceTest.class);
            writeMany(jedis, mine);
            jedis.hset(mine.key("hash"), "field", "1");
            jedis.rpush(mine.key("list"), "a", "b");
            jedis.sadd(mine.key("set"), "a");
            jedis.set(neighbour.key("kept"), "x");

            mine.close();

            assertThat(mine.remainingKeys()).isEmpty();
            assertThat(jedis.exists(mine.key("hash"), mine.key("list"), mine.key("set"), mine.key("0"))).isZero();
            assertThat(neighbour.remainingKeys()).containsExactly(neighbour.key("kept"));
        }
    }

    @Test
    void shouldSweepOnlyOnce() {
        RedisService redis = TestServices.redis();
        RedisKeyspace keyspace = redis.isolate(RedisKeyspaceTest.class);
        try (Jedis jedis = redis.connect()) {
            keyspace.close();
            jedis.set(keyspace.key("written after close"), "x");

            keyspace.close();

            assertThat(keyspace.remainingKeys()).containsExactly(keyspace.key("written after close"));
            jedis.del(keyspace.key("written after close"));
        }
    }

    private static List<String> writeMany(Jedis jedis, RedisKeyspace keyspace) {
        List<String> keys = new ArrayList<>();
        List<String> keysAndValues = new ArrayList<>();
        for (int i = 0; i < MANY; i++) {
            keys.add(keyspace.key(Integer.toString(i)));
            keysAndValues.add(keyspace.key(Integer.toString(i)));
            keysAndValues.add("v");
        }
        jedis.mset(keysAndValues.toArray(String[]::new));
        return keys;
    }
}
