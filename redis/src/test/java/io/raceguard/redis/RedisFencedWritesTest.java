package io.raceguard.redis;

import org.junit.jupiter.api.extension.RegisterExtension;

/** Fenced writes on the machine's shared Redis server. */
final class RedisFencedWritesTest extends RedisFencedWritesCases {

    @RegisterExtension
    static final RedisTarget REDIS = RedisTarget.sharedServer();

    @Override
    RedisTarget target() {
        return REDIS;
    }
}
