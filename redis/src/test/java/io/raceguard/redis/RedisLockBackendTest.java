package io.raceguard.redis;

import org.junit.jupiter.api.extension.RegisterExtension;

/** The Redis lock backend on the machine's shared Redis server. */
final class RedisLockBackendTest extends RedisLockBackendCases {

    @RegisterExtension
    static final RedisTarget REDIS = RedisTarget.sharedServer();

    @Override
    RedisTarget target() {
        return REDIS;
    }
}
