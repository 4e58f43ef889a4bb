package io.raceguard.redis;

import static java.util.Objects.requireNonNull;

import io.raceguard.BackendException;
import io.raceguard.Outcome;
import io.raceguard.Rejection;
import io.raceguard.event.RaceguardListener;
import io.raceguard.internal.Events;
import io.raceguard.internal.Inputs;
import java.util.List;
import java.util.Optional;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisException;

/**
 * The resource half of fencing, on Redis: a value that accepts a write only from a holder whose
 * fencing token is not older than the newest one it has already accepted.
 *
 * <pre>{@code
 * RedisFencedWrites writes = RedisFencedWrites.create(client);
 * try (Lease lease = locks.acquire("report:42", options)) {
 *     Outcome<Long> written = writes.write("report:42", lease.fencingToken(), render());
 *     if (!written.isApplied()) { ... }   // STALE_FENCE: a later holder has written; this one lost the lock
 * }
 * }</pre>
 *
 * <p><b>Atomicity.</b> A write is one Lua script: compare the presented fence with the last recorded
 * one and, if it is newer, store the value and the fence together, in the hash
 * {@code <prefix>{resource}} (fields {@code fence} and {@code value}). A fence equal to the last one
 * is refused, as in {@code GuardedUpdates.fencedSet} on a database ({@code fence < :token}): the same
 * rule on every store, so a resource may move between them. Fences are compared as exact 64-bit integers.
 *
 * <p><b>Failure model.</b> The record has no ttl: like the resource it guards, it lives until
 * {@link #delete deleted}. A failover to a replica that missed the last write forgets its fence too;
 * the fence check is as durable as the value it guards. The check keeps a stale holder from
 * overwriting a newer one; it cannot undo side effects the stale holder had elsewhere.
 *
 * <p>Works on Redis Cluster (one key per resource). Thread-safe.
 */
public final class RedisFencedWrites {

    /** The key prefix used unless another is given. */
    public static final String DEFAULT_KEY_PREFIX = "raceguard:fenced:";

    private static final LuaScript WRITE = LuaScript.fromResource("fenced-write.lua");
    private static final Long WRITTEN = 1L;

    private final UnifiedJedis client;
    private final String keyPrefix;
    private final Events events;

    private RedisFencedWrites(UnifiedJedis client, String keyPrefix, Events events) {
        this.client = client;
        this.keyPrefix = keyPrefix;
        this.events = events;
    }

    /**
     * @param client the Redis client, shared and not closed here
     * @return fenced writes under {@link #DEFAULT_KEY_PREFIX}
     * @throws NullPointerException if {@code client} is null
     */
    public static RedisFencedWrites create(UnifiedJedis client) {
        return create(client, DEFAULT_KEY_PREFIX);
    }

    /**
     * @param client the Redis client, shared and not closed here
     * @param keyPrefix prepended to every resource's Redis key; may be empty, at most 256 characters,
     *     no {@code {} or {@code }}; keep it apart from the prefix of the locks guarding the same
     *     names, or a lock and a record would share one Redis key
     * @return fenced writes under that prefix
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if the prefix is too long or holds a brace
     */
    public static RedisFencedWrites create(UnifiedJedis client, String keyPrefix) {
        requireNonNull(client, "client");
        return new RedisFencedWrites(client, SlotKeys.requirePrefix(keyPrefix), Events.none());
    }

    /**
     * @param name the name these writes are reported as, e.g. {@code "coupons"}; never a key
     * @param listener where to report each stale fence refused; see {@link io.raceguard.event}
     * @return fenced writes on the same client and prefix that report to {@code listener}
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if {@code name} is not a valid {@link io.raceguard.event.EventSource} name
     */
    public RedisFencedWrites withEvents(String name, RaceguardListener listener) {
        return new RedisFencedWrites(client, keyPrefix, Events.of(name, RedisFencedWrites.class, listener));
    }

    /**
     * Stores {@code value} for {@code resource} if {@code fence} is newer than the last fence
     * recorded for it, atomically.
     *
     * @param resource the resource key (the rules of {@link Inputs#requireKey})
     * @param fence the writer's fencing token, not negative
     * @param value the value to store
     * @return {@code Applied(fence)} if written; {@code Rejected(STALE_FENCE)} with the newer recorded
     *     fence in its detail if refused
     * @throws NullPointerException if {@code resource} or {@code value} is null
     * @throws IllegalArgumentException if the resource key is invalid or {@code fence} is negative
     * @throws BackendException if Redis could not be reached; the write may or may not have applied
     */
    public Outcome<Long> write(String resource, long fence, String value) {
        Inputs.requireKey(resource, "resource");
        Inputs.requireNonNegative(fence, "fence");
        requireNonNull(value, "value");
        List<?> reply = (List<?>) WRITE.run(client, List.of(SlotKeys.tagged(keyPrefix, resource)),
                List.of(Long.toString(fence), value));
        if (WRITTEN.equals(reply.get(0))) {
            return Outcome.applied(fence);
        }
        events.staleFenceRefused();
        return Outcome.rejected(Rejection.STALE_FENCE, "fence " + fence + " is not newer than the recorded " + reply.get(1));
    }

    /**
     * @param resource the resource key
     * @return the last value written and its fence, or empty if none was written
     * @throws NullPointerException if {@code resource} is null
     * @throws IllegalArgumentException if the resource key is invalid
     * @throws BackendException if Redis could not be reached
     */
    public Optional<FencedValue> read(String resource) {
        Inputs.requireKey(resource, "resource");
        List<String> fields;
        try {
            fields = client.hmget(SlotKeys.tagged(keyPrefix, resource), "fence", "value");
        } catch (JedisException e) {
            throw new BackendException("reading a fenced value failed", e);
        }
        if (fields.get(0) == null || fields.get(1) == null) {
            return Optional.empty();
        }
        return Optional.of(new FencedValue(Long.parseLong(fields.get(0)), fields.get(1)));
    }

    /**
     * Forgets the resource's value and fence, so any fence is accepted again.
     *
     * @param resource the resource key
     * @return whether there was a record
     * @throws NullPointerException if {@code resource} is null
     * @throws IllegalArgumentException if the resource key is invalid
     * @throws BackendException if Redis could not be reached
     */
    public boolean delete(String resource) {
        Inputs.requireKey(resource, "resource");
        try {
            return client.del(SlotKeys.tagged(keyPrefix, resource)) > 0;
        } catch (JedisException e) {
            throw new BackendException("deleting a fenced value failed", e);
        }
    }

    /**
     * A value and the fence it was written with.
     *
     * @param fence the fencing token of the write
     * @param value the value written
     */
    public record FencedValue(long fence, String value) {
        /** @throws NullPointerException if {@code value} is null */
        public FencedValue {
            requireNonNull(value, "value");
        }
    }
}
