package io.raceguard.redis;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The Redis lock backend on the machine's shared Redis server. */
final class RedisLockBackendTest extends RedisLockBackendCases {

    private static RedisTarget redis;

    @BeforeAll
    static void connect() {
        redis = RedisTarget.shared(RedisLockBackendTest.class);
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
