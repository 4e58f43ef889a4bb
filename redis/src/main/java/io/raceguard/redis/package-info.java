/**
 * Raceguard on Redis 6.2 or later (standalone, primary with replicas, or Redis Cluster), through a
 * Jedis 8 {@code UnifiedJedis} ({@code RedisClient} or {@code RedisClusterClient}).
 *
 * <ul>
 *   <li>{@link io.raceguard.redis.RedisCounters}, {@link io.raceguard.redis.RedisRateLimiter} and {@link
 *       io.raceguard.redis.RedisIdempotencyStore}: each operation is one Lua script on one hash slot.
 *   <li>{@link io.raceguard.redis.RedisLocks}: leases with fencing tokens on one Redis;
 *       {@link io.raceguard.redis.Redlock}: opt-in leases over N independent masters.
 *   <li>{@link io.raceguard.redis.RedisFencedWrites}: the resource half of fencing, a value that accepts
 *       a write only with a newer fencing token.
 * </ul>
 *
 * <p>Caller data travels only as script keys and arguments, never in script text; every key a script
 * touches shares a hash tag; expiry is decided by the server's clock. Everything else in this package
 * is package-private.
 */
package io.raceguard.redis;
