package io.raceguard.redis;

import static io.raceguard.internal.SetOnce.requireUnset;
import static java.util.Objects.requireNonNull;

import io.raceguard.lock.LockManager;
import io.raceguard.lock.LockManagerBuilder;
import io.raceguard.lock.spi.LockBackend;
import redis.clients.jedis.UnifiedJedis;

/**
 * Distributed locks on one Redis: a standalone server, a primary with replicas, or a Redis Cluster.
 *
 * <pre>{@code
 * LockManager locks = RedisLocks.create(RedisClient.create("redis://localhost:6379"));
 * try (Lease lease = locks.acquire("coupon:SAVE20",
 *         LeaseOptions.ttl(Duration.ofSeconds(5)).waitUpTo(Duration.ofSeconds(2)))) {
 *     lease.checkValid();
 *     fencedWrites.write("coupon:SAVE20", lease.fencingToken(), "redeemed");
 * }
 * }</pre>
 *
 * <p><b>Atomicity.</b> Each store operation is one Lua script, run with {@code EVALSHA} (scripts are
 * never checked for with {@code SCRIPT EXISTS}; a node that answers {@code NOSCRIPT} is sent the
 * script once with {@code EVAL}):
 * <ol>
 *   <li>acquire: {@code SET <prefix>{key} owner NX PX ttl}, and on success mint the fencing token in
 *       the same script;
 *   <li>extend: {@code PEXPIRE} the lock if it still holds the caller's owner token, and keep its
 *       fence key at least as long;
 *   <li>release: {@code DEL} the lock if it still holds the caller's owner token, then (when release
 *       notifications are on) {@code PUBLISH} its key to the namespace's channel, leaving the fence
 *       key to expire as described below.
 * </ol>
 * Waiting, the local safety deadline, auto-renewal and {@code onLost} come from the shared lock
 * engine ({@link LockManager#builder}); see {@link io.raceguard.lock.Lease}. The scripts use
 * {@code SET ... GET} and {@code PXAT}, so the server must be Redis 6.2 or later.
 *
 * <p><b>Fencing tokens.</b> A token is {@code max(T, last + 1)}, where {@code T} is the Redis server's
 * {@code TIME} in microseconds, read inside the acquire script on the node that owns the lock's slot,
 * and {@code last} is the previous token of the same key, kept in {@code <prefix>{key}:fence} beside
 * the lock (same hash tag, same slot). The fence key expires by itself, never before the lock would
 * have (its first ttl, or the ttl of its last extension) and never before the server clock has
 * passed {@code last} plus 2 ms; a release of a lock that still had more than 10 s to live cuts it
 * back to that. So tokens strictly increase per key across holders, also when the clock steps back
 * while the key is held or shortly after its release, and the keys behind them are bounded: two per
 * lock currently held, plus one per lock released within the last 10 s (or whose last token is
 * still ahead of the clock), and none for a lock name not in use. There is no namespace-wide
 * counter, so no single hot slot on a Cluster. Tokens are about 1.8 &times; 10<sup>15</sup> today
 * and stay below 2<sup>53</sup> (exact in Lua's doubles) until the year 2255.
 *
 * <p><b>Failure model.</b> On top of what {@link LockManager} states:
 * <ul>
 *   <li>Replication is asynchronous. A failover can lose a lock that was just granted, so a second
 *       holder may be admitted while the first still works; the fencing token at the resource is what
 *       stops the first. {@code WAIT} would not make this safe, so it is not used.
 *   <li>Tokens rely on the server clock between uses of a key. If the clock of the node that owns
 *       the slot steps back by {@code d} (an NTP step, or a failover to a replica whose clock is
 *       {@code d} behind), a key that was idle at that moment can get a token lower than tokens
 *       minted for it during the last {@code d} before the step. A key held, or released shortly
 *       before the step (within the lock's remaining ttl, at most 10 s), keeps its fence key and
 *       stays increasing. The resource then rejects the newer holder as stale (safe, but it cannot
 *       write) until the clock catches up. Keep the servers on NTP with slewing, not stepping.
 *   <li>Redis decides expiry by its wall clock too, so a clock jump forward expires leases early;
 *       {@link io.raceguard.lock.Lease#checkValid()} cannot see that, the fencing token can.
 *   <li>Under memory pressure a {@code volatile-*} or {@code allkeys-*} eviction policy may evict a
 *       lock; use {@code noeviction} for the lock namespace's server.
 * </ul>
 *
 * <p><b>Redis Cluster.</b> Every script touches only keys with the same hash tag, the caller's key
 * (escaped so that any key, braces included, stays in one slot), so locks spread over all slots.
 * Caller data travels only as {@code KEYS}/{@code ARGV}, never inside script text.
 *
 * <p><b>Waiting.</b> Waiters of one lock manager for one key wait in line, in arrival order, and
 * only the first in line asks Redis; a release through the same manager wakes it at once, with or
 * without notifications (see {@link LockManager}). A key held by another process is polled with
 * backoff.
 *
 * <p><b>Release notifications</b> (off by default) wake waiters on releases by other processes too.
 * When on, a release publishes the lock key on the channel {@code <prefix>released}, and waiters
 * share one subscription per lock manager, opened by the first waiter on a dedicated connection from
 * the client's pool, so a waiter retries as soon as a release is published instead of at its next
 * backoff step. While the subscription is down (a dropped connection), waiters poll with backoff
 * and the manager subscribes again. A lock that expires sends nothing; backoff still covers that. On
 * a Cluster, {@code PUBLISH} is broadcast to every node, which costs bus traffic on each release: turn
 * it on for keys contended across processes, not by default.
 *
 * <p>Thread-safe. {@link LockManager#close()} ends the subscription and the renewal scheduler; it
 * does not close the client, which belongs to the caller.
 */
public final class RedisLocks {

    /** The key prefix used unless the builder is given another. */
    public static final String DEFAULT_KEY_PREFIX = "raceguard:lock:";

    private RedisLocks() {}

    /**
     * @param client the Redis client ({@code RedisClient}, {@code RedisClusterClient} or any other
     *     {@link UnifiedJedis}), shared and not closed by the lock manager
     * @return a lock manager with the default options
     * @throws NullPointerException if {@code client} is null
     */
    public static LockManager create(UnifiedJedis client) {
        return builder(client).build();
    }

    /**
     * @param client the Redis client, shared and not closed by the lock manager
     * @return a builder for a lock manager with non-default options
     * @throws NullPointerException if {@code client} is null
     */
    public static Builder builder(UnifiedJedis client) {
        return new Builder(client);
    }

    /**
     * Options of a Redis lock manager, on top of the {@link LockManagerBuilder} ones. Each option is
     * checked when set, and may be set once. Not thread-safe.
     */
    public static final class Builder extends LockManagerBuilder<Builder> {
        private final UnifiedJedis client;
        private String keyPrefix;
        private Boolean releaseNotifications;

        private Builder(UnifiedJedis client) {
            this.client = requireNonNull(client, "client");
        }

        /**
         * @param keyPrefix prepended to every Redis key of these locks, and naming their release
         *     channel; may be empty, at most 256 characters, no {@code {} or {@code }} (they would
         *     move the Cluster hash tag)
         * @return this builder
         * @throws NullPointerException if {@code keyPrefix} is null
         * @throws IllegalArgumentException if it is too long or holds a brace
         * @throws IllegalStateException if the key prefix is already set
         */
        public Builder keyPrefix(String keyPrefix) {
            SlotKeys.requirePrefix(keyPrefix);
            requireUnset(this.keyPrefix, "keyPrefix");
            this.keyPrefix = keyPrefix;
            return this;
        }

        /**
         * @param enabled whether releases are published and waiters wake on them (see the class
         *     javadoc); off by default
         * @return this builder
         * @throws IllegalStateException if release notifications are already set
         */
        public Builder releaseNotifications(boolean enabled) {
            requireUnset(this.releaseNotifications, "releaseNotifications");
            this.releaseNotifications = enabled;
            return this;
        }

        /** Creates the backend; no connection is made until the first call. */
        @Override
        protected LockBackend backend() {
            return new RedisLockBackend(
                    client,
                    keyPrefix == null ? DEFAULT_KEY_PREFIX : keyPrefix,
                    Boolean.TRUE.equals(releaseNotifications));
        }
    }
}
