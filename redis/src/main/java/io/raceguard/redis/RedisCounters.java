package io.raceguard.redis;

import static java.util.Objects.requireNonNull;

import io.raceguard.BackendException;
import io.raceguard.Outcome;
import io.raceguard.counter.Counters;
import io.raceguard.internal.CounterRules;
import java.util.List;
import java.util.OptionalLong;
import java.util.function.Supplier;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisException;

/**
 * {@link Counters} on Redis: a standalone server, a primary with replicas, or a Redis Cluster.
 *
 * <pre>{@code
 * Counters counters = RedisCounters.create(RedisClient.create("redis://localhost:6379"));
 * counters.set("stock:99", 1);
 * Outcome<Long> sold = counters.take("stock:99", 1);   // applies only if the level is >= 1
 * }</pre>
 *
 * <p><b>Storage.</b> One Redis string per counter, {@code <prefix>{key}}, holding the level in
 * decimal: the same as {@code INCRBY} keeps, so a level can be inspected with {@code GET}. The keys
 * belong to this class: a value written there by anything else (not a decimal level from 0 to
 * {@link Long#MAX_VALUE} without sign or leading zeros) makes every method but {@link #set} and
 * {@link #delete} fail with a {@link BackendException}, never read as some level.
 *
 * <p><b>Atomicity.</b> {@link #take} and {@link #add} are each one Lua script, one round trip
 * ({@code EVALSHA}, {@code EVAL} once per node that lacks the script): read the level, check the
 * condition, {@code DECRBY}/{@code INCRBY}, and read the new level, with nothing else running on the
 * server in between. A refused step writes nothing; a refused {@code add} does not create a zero.
 * {@link #set}, {@link #get} and {@link #delete} are a single {@code SET}, {@code GET} and
 * {@code DEL}. Levels up to {@link Long#MAX_VALUE} stay exact: Lua numbers are doubles, so the
 * script compares levels as decimal strings and leaves the arithmetic to Redis's 64-bit integer
 * commands; the ceiling check is {@code level <= ceiling - amount}, subtracted in Java, where it
 * cannot overflow.
 *
 * <p><b>No expiry, by design.</b> A counter is state the caller owns, like a row: a stock level or
 * a balance must not vanish on a timer. It lives until {@link #delete}. Give counters that should
 * lapse (a daily quota) a key per period and delete old periods, or use a
 * {@link io.raceguard.limit.RateLimiter}, whose keys expire on their own.
 *
 * <p><b>Failure model.</b>
 * <ul>
 *   <li>A fault (connection refused, timeout, a node down) is thrown as a {@link BackendException},
 *       never turned into an applied or rejected outcome: nothing fails open. After a timeout the
 *       step may or may not have applied; re-read the level with {@link #get} before repeating a
 *       {@code take} or {@code add}, which are not idempotent.
 *   <li>Replication is asynchronous. If the primary fails after acknowledging a step and before a
 *       replica received it, the promoted replica has the older level: an acknowledged
 *       {@code take} is undone, so that stock can be sold twice, and an acknowledged once-only
 *       claim ({@code add(key, 1, 1)}) can be claimed again. Where that matters, run the primary
 *       with {@code appendfsync always} and no failover, or keep the counter in a database.
 *   <li>An eviction policy other than {@code noeviction} can evict a counter under memory pressure,
 *       which reads as "not found" (a {@code take} is refused, an {@code add} starts from zero).
 * </ul>
 *
 * <p><b>Redis Cluster.</b> Every command and script touches exactly one key, whose hash tag is the
 * caller's key (escaped so that any key, braces included, stays whole), so counters spread over all
 * slots. Keys and amounts travel only as {@code KEYS}/{@code ARGV}, never inside script text.
 *
 * <p>Thread-safe; it holds no state but the client, which it never closes.
 */
public final class RedisCounters implements Counters {

    /** The key prefix used unless another is given. */
    public static final String DEFAULT_KEY_PREFIX = "raceguard:counter:";

    private static final LuaScript STEP = LuaScript.fromResource("counter-step.lua");
    private static final Long APPLIED = 1L;

    private final UnifiedJedis client;
    private final String keyPrefix;

    private RedisCounters(UnifiedJedis client, String keyPrefix) {
        this.client = client;
        this.keyPrefix = keyPrefix;
    }

    /**
     * @param client the Redis client ({@code RedisClient}, {@code RedisClusterClient} or any other
     *     {@link UnifiedJedis}), shared and not closed here
     * @return counters under {@link #DEFAULT_KEY_PREFIX}
     * @throws NullPointerException if {@code client} is null
     */
    public static Counters create(UnifiedJedis client) {
        return create(client, DEFAULT_KEY_PREFIX);
    }

    /**
     * @param client the Redis client, shared and not closed here
     * @param keyPrefix prepended to every counter's Redis key; may be empty, at most 256 characters,
     *     no {@code {} or {@code }} (they would move the Cluster hash tag)
     * @return counters under that prefix
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if the prefix is too long or holds a brace
     */
    public static Counters create(UnifiedJedis client, String keyPrefix) {
        return new RedisCounters(requireNonNull(client, "client"), SlotKeys.requirePrefix(keyPrefix));
    }

    /**
     * {@inheritDoc}
     *
     * @throws BackendException if Redis could not be reached or failed; the take may or may not
     *     have applied
     */
    @Override
    public Outcome<Long> take(String key, long amount) {
        CounterRules.requireTake(key, amount);
        List<?> reply = (List<?>) STEP.run(client, List.of(redisKey(key)), List.of("take", Long.toString(amount)));
        return reply == null ? CounterRules.takeRefused(false) : outcome(reply, CounterRules.takeRefused(true));
    }

    /**
     * {@inheritDoc}
     *
     * @throws BackendException if Redis could not be reached or failed; the add may or may not have
     *     applied
     */
    @Override
    public Outcome<Long> add(String key, long amount, long ceiling) {
        return CounterRules.add(key, amount, ceiling, highestLevelThatFits -> {
            List<?> reply = (List<?>) STEP.run(client, List.of(redisKey(key)),
                    List.of("add", Long.toString(amount), Long.toString(highestLevelThatFits)));
            return outcome(reply, CounterRules.ceilingPassed());
        });
    }

    /**
     * {@inheritDoc}
     *
     * @throws BackendException if Redis could not be reached or failed; the level may or may not
     *     have been set
     */
    @Override
    public void set(String key, long level) {
        CounterRules.requireSet(key, level);
        call("setting a counter", () -> client.set(redisKey(key), Long.toString(level)));
    }

    /**
     * {@inheritDoc}
     *
     * @throws BackendException if Redis could not be reached or failed, or the key holds something
     *     other than a level
     */
    @Override
    public OptionalLong get(String key) {
        CounterRules.requireCounterKey(key);
        String level = call("reading a counter", () -> client.get(redisKey(key)));
        return level == null ? OptionalLong.empty() : OptionalLong.of(parseLevel(level));
    }

    /**
     * {@inheritDoc}
     *
     * @throws BackendException if Redis could not be reached or failed
     */
    @Override
    public boolean delete(String key) {
        CounterRules.requireCounterKey(key);
        return call("deleting a counter", () -> client.del(redisKey(key))) > 0;
    }

    private String redisKey(String key) {
        return SlotKeys.tagged(keyPrefix, key);
    }

    private static Outcome<Long> outcome(List<?> reply, Outcome<Long> refusal) {
        return APPLIED.equals(reply.get(0)) ? Outcome.applied(parseLevel((String) reply.get(1))) : refusal;
    }

    /** Accepts exactly what {@code set}, {@code INCRBY} and {@code DECRBY} write: no sign, no leading zero. */
    private static long parseLevel(String level) {
        boolean digitsOnly = !level.isEmpty() && level.chars().allMatch(c -> c >= '0' && c <= '9');
        if (digitsOnly && (level.length() == 1 || level.charAt(0) != '0')) {
            try {
                return Long.parseLong(level);
            } catch (NumberFormatException beyondLongMaxValue) {
                throw notALevel(beyondLongMaxValue);
            }
        }
        throw notALevel(new NumberFormatException("not a decimal level from 0 to " + Long.MAX_VALUE));
    }

    private static BackendException notALevel(NumberFormatException cause) {
        return new BackendException("a counter key holds something other than a level", cause);
    }

    private static <T> T call(String what, Supplier<T> command) {
        try {
            return command.get();
        } catch (JedisException e) {
            throw new BackendException(what + " failed", e);
        }
    }
}
