package io.raceguard.redis;

import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link RedisCounters} passes the counters contract on the machine's shared Redis server. */
final class RedisCountersTest extends RedisCountersCases {

    @RegisterExtension
    static final RedisTarget REDIS = RedisTarget.sharedServer();

    @Override
    RedisTarget target() {
        return REDIS;
    }
}
