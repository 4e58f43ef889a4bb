package io.raceguard.redis;

import io.raceguard.lock.spi.LockBackend;
import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import redis.clients.jedis.UnifiedJedis;

/**
 * The Redis store side of {@link RedisLocks}: each operation is one Lua script, one round trip.
 *
 * <p>A lock {@code k} is the string key {@code <prefix>{k}} holding its owner token with a {@code PX}
 * ttl, and its fence key {@code <prefix>{k}:fence} holding the last fencing token; both share the hash
 * tag, so both live in one Cluster slot. See {@link RedisLocks} for how tokens are minted.
 *
 * <p>Thread-safe: it keeps no state per lock; Redis serialises the scripts.
 */
final class RedisLockBackend implements LockBackend {

    static final String FENCE_SUFFIX = ":fence";
    static final LuaScript ACQUIRE = LuaScript.fromResource("lock-acquire.lua");
    static final LuaScript EXTEND = LuaScript.fromResource("lock-extend.lua");
    static final LuaScript RELEASE = LuaScript.fromResource("lock-release.lua");
    private static final Long DONE = 1L;

    private final UnifiedJedis client;
    private final String keyPrefix;
    private final ReleaseListener releases;
    private final String releaseChannel;

    /**
     * @param client the Redis client, not closed by this backend
     * @param keyPrefix a prefix accepted by {@link SlotKeys#requirePrefix}
     * @param releaseNotifications whether releases are published and waiters subscribe to them
     */
    RedisLockBackend(UnifiedJedis client, String keyPrefix, boolean releaseNotifications) {
        this.client = client;
        this.keyPrefix = keyPrefix;
        this.releases = releaseNotifications ? new ReleaseListener(client, keyPrefix + "released") : null;
        this.releaseChannel = releaseNotifications ? releases.channel() : "";
    }

    @Override
    public OptionalLong tryAcquire(String key, String owner, Duration ttl) {
        String lockKey = SlotKeys.tagged(keyPrefix, key);
        Object token = ACQUIRE.run(client, List.of(lockKey, lockKey + FENCE_SUFFIX),
                List.of(owner, Long.toString(ttl.toMillis())));
        return token == null ? OptionalLong.empty() : OptionalLong.of((Long) token);
    }

    @Override
    public boolean extend(String key, String owner, Duration ttl) {
        String lockKey = SlotKeys.tagged(keyPrefix, key);
        return DONE.equals(EXTEND.run(client, List.of(lockKey, lockKey + FENCE_SUFFIX),
                List.of(owner, Long.toString(ttl.toMillis()))));
    }

    @Override
    public boolean release(String key, String owner) {
        String lockKey = SlotKeys.tagged(keyPrefix, key);
        return DONE.equals(RELEASE.run(client, List.of(lockKey, lockKey + FENCE_SUFFIX),
                List.of(owner, releaseChannel, key)));
    }

    @Override
    public void awaitRelease(String key, Duration maxWait) throws InterruptedException {
        if (releases == null) {
            LockBackend.super.awaitRelease(key, maxWait);
        } else {
            releases.await(key, SlotKeys.tagged(keyPrefix, key), maxWait);
        }
    }

    @Override
    public void close() {
        if (releases != null) {
            releases.close();
        }
    }

    @Override
    public String toString() {
        return "RedisLockBackend[prefix=" + keyPrefix + ", releaseNotifications=" + (releases != null) + "]";
    }
}
