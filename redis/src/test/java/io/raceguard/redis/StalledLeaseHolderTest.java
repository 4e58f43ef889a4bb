package io.raceguard.redis;

import io.raceguard.Outcome;
import io.raceguard.lock.LockManager;
import io.raceguard.redis.RedisFencedWrites.FencedValue;
import io.raceguard.testing.contract.StalledHolderContract;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link RedisLocks} with {@link RedisFencedWrites} on the machine's shared Redis: a lease holder
 * that stalls past its ttl can never overwrite the next holder's value; a plain {@code SET} can.
 */
final class StalledLeaseHolderTest extends StalledHolderContract {

    @RegisterExtension
    static final RedisTarget REDIS = RedisTarget.sharedServer();

    private final String resource = "report:" + UUID.randomUUID();
    private LockManager locks;
    private RedisFencedWrites writes;

    @BeforeEach
    void open() {
        locks = RedisLocks.builder(REDIS.client()).keyPrefix(REDIS.prefix() + "lock:")
                .backoff(Duration.ofMillis(1), Duration.ofMillis(10)).build();
        writes = RedisFencedWrites.create(REDIS.client(), REDIS.prefix() + "fenced:");
    }

    @AfterEach
    void closeAndCheck() {
        locks.close();
        writes.delete(resource);
        REDIS.client().del(plainKey());
        REDIS.assertNothingOutlivesItsTtl(Duration.ofSeconds(30));
    }

    @Override
    protected LockManager locks() {
        return locks;
    }

    @Override
    protected Resource fencedResource() {
        return new Resource() {
            @Override
            public Outcome<?> write(long fencingToken, String value) {
                return writes.write(resource, fencingToken, value);
            }

            @Override
            public String read() {
                return writes.read(resource).map(FencedValue::value).orElse(null);
            }
        };
    }

    @Override
    protected Resource unfencedResource() {
        return new Resource() {
            @Override
            public Outcome<?> write(long fencingToken, String value) {
                return Outcome.applied(REDIS.client().set(plainKey(), value));
            }

            @Override
            public String read() {
                return REDIS.client().get(plainKey());
            }
        };
    }

    private String plainKey() {
        return REDIS.prefix() + "plain:" + resource;
    }
}
