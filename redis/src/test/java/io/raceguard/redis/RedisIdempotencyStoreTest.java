package io.raceguard.redis;

import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link RedisIdempotencyStore} passes the idempotency store contract on the machine's shared Redis server. */
final class RedisIdempotencyStoreTest extends RedisIdempotencyStoreCases {

    @RegisterExtension
    static final RedisTarget REDIS = RedisTarget.sharedServer();

    @Override
    RedisTarget target() {
        return REDIS;
    }
}
