package io.raceguard.redis;

import io.raceguard.lock.spi.LockBackend;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.OptionalLong;
import redis.clients.jedis.UnifiedJedis;

/**
 * The Redis store side of {@link RedisLocks}: each operation is one Lua script, one round trip.
 *
 * <p>A lock {@code k} is the string key {@code <prefix>{k}} holding its owner token with a {@code PX}
 * ttl, and its fence key {@code <prefix>{k}:fence} holding the last fencing token; both share the hash
 * tag, so both live in one Cluster slot. Acquire and extend touch both keys; release deletes the lock
 * key and leaves the fence key to expire by itself, cutting it back only when the lock still had more
 * than 10 s to live. See {@link RedisLocks} for how tokens are minted.
 *
 * <p>Thread-safe: it keeps no state per lock; Redis serialises the scripts.
 */
final class RedisLockBackend implements LockBackend {

    static final String FENCE_SUFFIX = ":fence";
    static final LuaScript ACQUIRE = LuaScript.fromResource("lock-acquire.lua");
    static final LuaScript EXTEND = LuaScript.fromResource("lock-extend.lua");
    static final LuaScript RELEASE = LuaScript.fromResource("lock-release.lua");
    private static final Long DONE = 1L;
    private static final byte[] FENCE_SUFFIX_UTF8 = FENCE_SUFFIX.getBytes(StandardCharsets.US_ASCII);
    private static final byte[] EMPTY = new byte[0];

    private final UnifiedJedis client;
    private final String keyPrefix;
    private final ReleaseListener releases;
    // Keys and arguments go out as bytes built here once, so a call encodes only what varies.
    private final byte[] keyPrefixUtf8;
    private final byte[] releaseChannelUtf8;
    private volatile TtlArgument lastTtl = new TtlArgument(-1);

    /**
     * @param client the Redis client, not closed by this backend
     * @param keyPrefix a prefix accepted by {@link SlotKeys#requirePrefix}
     * @param releaseNotifications whether releases are published and waiters subscribe to them
     */
    RedisLockBackend(UnifiedJedis client, String keyPrefix, boolean releaseNotifications) {
        this.client = client;
        this.keyPrefix = keyPrefix;
        this.releases = releaseNotifications ? new ReleaseListener(client, keyPrefix + "released") : null;
        this.keyPrefixUtf8 = utf8(keyPrefix);
        this.releaseChannelUtf8 = releaseNotifications ? utf8(releases.channel()) : EMPTY;
    }

    @Override
    public OptionalLong tryAcquire(String key, String owner, Duration ttl) {
        if (releases != null) {
            releases.beforeAttempt(key);
        }
        byte[] lockKey = SlotKeys.taggedUtf8(keyPrefixUtf8, key);
        Object token = ACQUIRE.runBinary(client, 2, lockKey, fenceKey(lockKey), utf8(owner), ttlArgument(ttl));
        return token == null ? OptionalLong.empty() : OptionalLong.of((Long) token);
    }

    @Override
    public boolean extend(String key, String owner, Duration ttl) {
        byte[] lockKey = SlotKeys.taggedUtf8(keyPrefixUtf8, key);
        return DONE.equals(EXTEND.runBinary(client, 2, lockKey, fenceKey(lockKey), utf8(owner), ttlArgument(ttl)));
    }

    @Override
    public boolean release(String key, String owner) {
        byte[] lockKey = SlotKeys.taggedUtf8(keyPrefixUtf8, key);
        // The message is read only when there is a channel to publish it on.
        byte[] message = releases == null ? EMPTY : utf8(key);
        return DONE.equals(RELEASE.runBinary(client, 2, lockKey, fenceKey(lockKey), utf8(owner), releaseChannelUtf8,
                message));
    }

    private static byte[] fenceKey(byte[] lockKey) {
        byte[] fenceKey = Arrays.copyOf(lockKey, lockKey.length + FENCE_SUFFIX_UTF8.length);
        System.arraycopy(FENCE_SUFFIX_UTF8, 0, fenceKey, lockKey.length, FENCE_SUFFIX_UTF8.length);
        return fenceKey;
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** Callers almost always pass one ttl, so its encoding is kept and reused while it stays the same. */
    private byte[] ttlArgument(Duration ttl) {
        long millis = ttl.toMillis();
        TtlArgument last = lastTtl;
        if (last.millis != millis) {
            last = new TtlArgument(millis);
            lastTtl = last;
        }
        return last.utf8;
    }

    /** A ttl in milliseconds with its decimal UTF-8 encoding; immutable (the array is never changed). */
    private static final class TtlArgument {
        private final long millis;
        private final byte[] utf8;

        private TtlArgument(long millis) {
            this.millis = millis;
            this.utf8 = utf8(Long.toString(millis));
        }
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
