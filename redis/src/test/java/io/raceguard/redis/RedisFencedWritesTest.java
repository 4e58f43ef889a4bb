package io.raceguard.redis;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The fenced writes on the machine's shared Redis server. */
final class RedisFencedWritesTest extends RedisFencedWritesCases {

    private static RedisTarget redis;

    @BeforeAll
    static void connect() {
        redis = RedisTarget.shared(RedisFencedWritesTest.class);
    }

    @AfterAll
    static void disconnect() throws Exception {
        if (redis != null) {
            redis.close();
        }
    }

    @Override
    RedisTarget target() {
        return redis;
    }
}
