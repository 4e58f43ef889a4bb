package io.raceguard.redis;

import static java.util.Objects.requireNonNull;

import io.raceguard.BackendException;
import io.raceguard.internal.RateLimitRules;
import io.raceguard.limit.RateLimit;
import io.raceguard.limit.RateLimitDecision;
import io.raceguard.limit.RateLimiter;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import redis.clients.jedis.UnifiedJedis;

/**
 * A {@link RateLimiter} on Redis, shared by every process that uses the same Redis, key prefix and
 * policy: a standalone server, a primary with replicas, or a Redis Cluster.
 *
 * <pre>{@code
 * RateLimiter logins = RedisRateLimiter.create(client, RateLimit.slidingWindow(5, Duration.ofMinutes(1)));
 * RateLimitDecision decision = logins.tryAcquire("login:" + clientIp);
 * if (!decision.allowed()) return tooManyRequests(decision.retryAfter());
 * }</pre>
 *
 * <p><b>Atomicity.</b> Each decision is one Lua script, one round trip ({@code EVALSHA}, {@code EVAL}
 * once per node that lacks the script), one per algorithm. The script reads the Redis server's
 * {@code TIME} (never the client's clock), reads the key's state, decides with exactly the integer
 * arithmetic written down in the {@linkplain io.raceguard.limit package documentation}, and, if the
 * request is allowed, writes the new state, all with nothing else running on the server in between.
 * So concurrent bursts from any number of processes never get more permits than the policy's
 * algorithm bounds, a refused request writes nothing, and for the same clock readings a decision is the one
 * {@link io.raceguard.limit.InMemoryRateLimiter} would take. Lua numbers are doubles; the
 * arithmetic is arranged so that every value stays an integer below 2<sup>53</sup>, which they hold
 * exactly, and floor division uses {@code math.fmod}, which is exact, never a rounded quotient.
 *
 * <p><b>Storage and expiry.</b> A key's state is one Redis key,
 * {@code <prefix>{key}:<algorithm>:<limit>:<window ms>} (the algorithm as {@code fixed_window},
 * {@code sliding_window}, {@code sliding_log} or {@code token_bucket}), so that limiters with different
 * policies never read each other's state (changing a policy starts its keys afresh): a small hash, or
 * for the sliding log a sorted set of one member per permit in the window, scored by its time, whose
 * members older than the window each decision removes in the same script (at most {@code limit}
 * members). Every allowed request sets the key to expire ({@code PEXPIREAT}, on the server's clock) at
 * the moment the specification says the state stops affecting decisions: the end of its window (fixed
 * window), the end of the window after it (sliding window), one window after the newest entry
 * (sliding log), or the theoretical arrival time (token bucket). So no key outlives two windows, and an
 * idle key costs nothing.
 *
 * <p><b>Failure model.</b>
 * <ul>
 *   <li>A fault (connection refused, timeout, a node down) is thrown as a {@link BackendException}:
 *       the limiter never fails open, nor closed, on its own. Whether to let the request through is
 *       the caller's choice. After a timeout the permits may or may not have been counted.
 *   <li>Replication is asynchronous. If the primary fails after counting a request and before a
 *       replica received it, the promoted replica has the older state, so each failover can admit up
 *       to about one more limit's worth of requests per key than the policy allows.
 *   <li>Time is the clock of the node that owns the key's slot. If it steps back (an NTP step, or a
 *       failover to a replica whose clock is behind), the arithmetic keeps counting in the window or
 *       bucket it had reached, so a step back never hands out a fresh budget, and a token bucket
 *       makes no one wait more than one window. If it steps forward, windows end and buckets refill
 *       early, by the size of the step. Keep the servers on NTP with slewing, not stepping.
 *   <li>An eviction policy other than {@code noeviction} can evict a state under memory pressure,
 *       which hands its key a fresh budget.
 * </ul>
 *
 * <p><b>Redis Cluster.</b> Each script touches exactly one key, whose hash tag is the caller's key
 * (escaped so that any key, braces included, stays whole), so keys spread over all slots. Keys and
 * numbers travel only as {@code KEYS}/{@code ARGV}, never inside script text.
 *
 * <p>Thread-safe; it holds no state but its policy and the client, which it never closes.
 */
public final class RedisRateLimiter implements RateLimiter {

    /** The key prefix used unless another is given. */
    public static final String DEFAULT_KEY_PREFIX = "raceguard:limit:";

    private static final LuaScript FIXED_WINDOW = LuaScript.fromResource("limit-fixed-window.lua");
    private static final LuaScript SLIDING_WINDOW = LuaScript.fromResource("limit-sliding-window.lua");
    private static final LuaScript SLIDING_LOG = LuaScript.fromResource("limit-sliding-log.lua");
    private static final LuaScript TOKEN_BUCKET = LuaScript.fromResource("limit-token-bucket.lua");
    private static final Long ALLOWED = 1L;

    private final UnifiedJedis client;
    private final String keyPrefix;
    private final RateLimit limit;
    private final LuaScript script;
    private final String policySuffix;
    private final String limitArgument;
    private final String windowArgument;

    private RedisRateLimiter(UnifiedJedis client, String keyPrefix, RateLimit limit) {
        this.client = client;
        this.keyPrefix = keyPrefix;
        this.limit = limit;
        this.limitArgument = Long.toString(limit.limit());
        this.windowArgument = Long.toString(limit.windowMillis());
        this.script = switch (limit.algorithm()) {
            case FIXED_WINDOW -> FIXED_WINDOW;
            case SLIDING_WINDOW -> SLIDING_WINDOW;
            case SLIDING_LOG -> SLIDING_LOG;
            case TOKEN_BUCKET -> TOKEN_BUCKET;
        };
        this.policySuffix =
                ':' + limit.algorithm().name().toLowerCase(Locale.ROOT) + ':' + limitArgument + ':' + windowArgument;
    }

    /**
     * @param client the Redis client ({@code RedisClient}, {@code RedisClusterClient} or any other
     *     {@link UnifiedJedis}), shared and not closed here
     * @param limit the policy to enforce
     * @return a limiter under {@link #DEFAULT_KEY_PREFIX}
     * @throws NullPointerException if an argument is null
     */
    public static RateLimiter create(UnifiedJedis client, RateLimit limit) {
        return create(client, limit, DEFAULT_KEY_PREFIX);
    }

    /**
     * @param client the Redis client, shared and not closed here
     * @param limit the policy to enforce
     * @param keyPrefix prepended to every Redis key of the limiter; may be empty, at most 256
     *     characters, no {@code {} or {@code }} (they would move the Cluster hash tag)
     * @return a limiter under that prefix
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if the prefix is too long or holds a brace
     */
    public static RateLimiter create(UnifiedJedis client, RateLimit limit, String keyPrefix) {
        requireNonNull(client, "client");
        requireNonNull(limit, "limit");
        SlotKeys.requirePrefix(keyPrefix);
        return new RedisRateLimiter(client, keyPrefix, limit);
    }

    @Override
    public RateLimit limit() {
        return limit;
    }

    /**
     * {@inheritDoc}
     *
     * @throws BackendException if Redis could not be reached or failed; the permits may or may not
     *     have been counted
     */
    @Override
    public RateLimitDecision tryAcquire(String key, long permits) {
        RateLimitRules.requireAcquire(limit, key, permits);
        List<?> reply = (List<?>) script.run(client,
                List.of(SlotKeys.tagged(keyPrefix, key) + policySuffix),
                List.of(limitArgument, windowArgument, Long.toString(permits)));
        return new RateLimitDecision(
                ALLOWED.equals(reply.get(0)), (Long) reply.get(1), Duration.ofMillis((Long) reply.get(2)));
    }

    @Override
    public String toString() {
        return "RedisRateLimiter[" + limit + "]";
    }
}
