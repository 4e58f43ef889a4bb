package io.raceguard.redis;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import io.raceguard.BackendException;
import io.raceguard.idempotency.IdempotencyKey;
import io.raceguard.idempotency.spi.IdempotencyRecord.Status;
import io.raceguard.idempotency.spi.IdempotencyRecord;
import io.raceguard.idempotency.spi.IdempotencyStore;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import redis.clients.jedis.UnifiedJedis;

/**
 * An {@link IdempotencyStore} on Redis: a standalone server, a primary with replicas, or a Redis
 * Cluster. Use it through {@link io.raceguard.idempotency.Idempotency}.
 *
 * <pre>{@code
 * Idempotency idempotency = Idempotency.builder(RedisIdempotencyStore.create(client))
 *         .lease(Duration.ofSeconds(30)).retention(Duration.ofHours(24)).build();
 * }</pre>
 *
 * <p><b>Storage.</b> One hash per record, {@code <prefix>{<scope length>:<scope><key>}}: the scope's
 * length in characters keeps {@code ("a:b", "c")} and {@code ("a", "b:c")} apart, and the whole
 * scoped key is the Cluster hash tag. Fields: the status, the owner token, the fingerprint, the
 * response once completed, and the end of the lease in server microseconds. Fingerprints and
 * responses travel and are stored as raw bytes, never decoded, so they come back byte for byte.
 *
 * <p><b>Atomicity.</b> Each transition is one Lua script, one round trip ({@code EVALSHA},
 * {@code EVAL} once per node that lacks the script), with nothing else running on the server in
 * between:
 * <ol>
 *   <li>claim: if the hash is absent, create it in progress with a lease ending at the server's
 *       {@code TIME} plus the lease, and {@code PEXPIRE} it by the retention; else return it;
 *   <li>complete: if it is in progress and owned by the caller, store the response, mark it
 *       completed, and {@code PEXPIRE} it by the retention from now;
 *   <li>release: if it is in progress and owned by the caller, {@code DEL} it;
 *   <li>take over: if it is in progress, owned by the expected owner, and its lease has ended on the
 *       server's clock, give it to the new owner with a fresh lease, extending its ttl to at least
 *       that lease.
 * </ol>
 * Complete and release are fenced by the owner token, so a caller whose claim was taken over can
 * neither overwrite nor delete the new owner's record. Leases and retention are decided on the
 * server's clock alone: the lease by {@code TIME} in the script, the retention by the key's ttl, so a
 * record past its retention is gone, and no record outlives it (or a taken-over lease).
 *
 * <p><b>Failure model.</b>
 * <ul>
 *   <li>A fault (connection refused, timeout, a node down) is thrown as a {@link BackendException},
 *       never read as "free" or "done": nothing fails open. After a timeout the transition may or may
 *       not have applied; {@code Idempotency} states what that means for the work.
 *   <li>Replication is asynchronous. If the primary fails after acknowledging a transition and
 *       before a replica received it, the promoted replica has the older record: a lost claim lets a
 *       concurrent or retried request claim the key and run the work a second time; a lost
 *       completion leaves the record in progress, so a retry gets {@code InProgress} until the lease
 *       ends and then runs the work again; a lost release keeps the key busy until the lease ends.
 *       Work with effects outside Redis should tolerate a rare second run.
 *   <li>If the clock of the node that owns the key's slot steps forward, leases end early and a
 *       retry may take over a claim whose owner is still working; that owner's completion is then
 *       refused (fenced), but the work has run twice. A step back lengthens leases. Keep the servers
 *       on NTP with slewing, not stepping.
 *   <li>An eviction policy other than {@code noeviction} can evict a record under memory pressure,
 *       with the same effect as a lost claim or completion.
 * </ul>
 *
 * <p><b>Redis Cluster.</b> Each script touches exactly one key, so records spread over all slots.
 * Keys, tokens, fingerprints and responses travel only as {@code KEYS}/{@code ARGV}, never inside
 * script text.
 *
 * <p>Thread-safe; it holds no state but the client, which it never closes.
 */
public final class RedisIdempotencyStore implements IdempotencyStore {

    /** The key prefix used unless another is given. */
    public static final String DEFAULT_KEY_PREFIX = "raceguard:idempotency:";

    private static final LuaScript CLAIM = LuaScript.fromResource("idempotency-claim.lua");
    private static final LuaScript COMPLETE = LuaScript.fromResource("idempotency-complete.lua");
    private static final LuaScript RELEASE = LuaScript.fromResource("idempotency-release.lua");
    private static final LuaScript TAKE_OVER = LuaScript.fromResource("idempotency-take-over.lua");
    private static final Long DONE = 1L;
    private static final byte[] COMPLETED = {'c'};
    private static final long NANOS_PER_MICRO = 1_000L;
    private static final long NANOS_PER_MILLI = 1_000_000L;

    private final UnifiedJedis client;
    private final String keyPrefix;

    private RedisIdempotencyStore(UnifiedJedis client, String keyPrefix) {
        this.client = client;
        this.keyPrefix = keyPrefix;
    }

    /**
     * @param client the Redis client ({@code RedisClient}, {@code RedisClusterClient} or any other
     *     {@link UnifiedJedis}), shared and not closed here
     * @return a store under {@link #DEFAULT_KEY_PREFIX}
     * @throws NullPointerException if {@code client} is null
     */
    public static IdempotencyStore create(UnifiedJedis client) {
        return create(client, DEFAULT_KEY_PREFIX);
    }

    /**
     * @param client the Redis client, shared and not closed here
     * @param keyPrefix prepended to every record's Redis key; may be empty, at most 256 characters,
     *     no {@code {} or {@code }} (they would move the Cluster hash tag)
     * @return a store under that prefix
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if the prefix is too long or holds a brace
     */
    public static IdempotencyStore create(UnifiedJedis client, String keyPrefix) {
        return new RedisIdempotencyStore(requireNonNull(client, "client"), SlotKeys.requirePrefix(keyPrefix));
    }

    /**
     * {@inheritDoc}
     *
     * @throws BackendException if Redis could not be reached or failed; the key may or may not have
     *     been claimed
     */
    @Override
    public Optional<IdempotencyRecord> claim(
            IdempotencyKey key, byte[] fingerprint, String owner, Duration lease, Duration retention) {
        Object reply = CLAIM.runBinary(client, redisKey(key),
                List.of(utf8(owner), fingerprint, micros(lease), millis(retention)));
        if (reply == null) {
            return Optional.empty();
        }
        List<?> fields = (List<?>) reply;
        boolean completed = Arrays.equals(COMPLETED, (byte[]) fields.get(0));
        return Optional.of(new IdempotencyRecord(
                completed ? Status.COMPLETED : Status.IN_PROGRESS,
                new String((byte[]) fields.get(1), UTF_8),
                (byte[]) fields.get(2),
                completed ? (byte[]) fields.get(3) : null,
                Duration.ofNanos((Long) fields.get(4) * NANOS_PER_MICRO)));
    }

    /**
     * {@inheritDoc}
     *
     * @throws BackendException if Redis could not be reached or failed; the record may or may not
     *     have been completed
     */
    @Override
    public boolean complete(IdempotencyKey key, String owner, byte[] response, Duration retention) {
        return DONE.equals(COMPLETE.runBinary(client, redisKey(key),
                List.of(utf8(owner), response, millis(retention))));
    }

    /**
     * {@inheritDoc}
     *
     * @throws BackendException if Redis could not be reached or failed; the record may or may not
     *     have been released
     */
    @Override
    public boolean release(IdempotencyKey key, String owner) {
        return DONE.equals(RELEASE.runBinary(client, redisKey(key), List.of(utf8(owner))));
    }

    /**
     * {@inheritDoc}
     *
     * @throws BackendException if Redis could not be reached or failed; the record may or may not
     *     have been taken over
     */
    @Override
    public boolean takeOver(IdempotencyKey key, String expectedOwner, String newOwner, Duration lease) {
        return DONE.equals(TAKE_OVER.runBinary(client, redisKey(key),
                List.of(utf8(expectedOwner), utf8(newOwner), micros(lease), millis(lease))));
    }

    private List<byte[]> redisKey(IdempotencyKey key) {
        String scoped = key.scope().length() + ":" + key.scope() + key.key();
        return List.of(utf8(SlotKeys.tagged(keyPrefix, scoped)));
    }

    private static byte[] utf8(String text) {
        return text.getBytes(UTF_8);
    }

    /** Rounded up, so that a lease is never cut short. */
    private static byte[] micros(Duration duration) {
        return utf8(Long.toString(ceilDiv(duration.toNanos(), NANOS_PER_MICRO)));
    }

    /** Rounded up, so that a record is never dropped before its time. */
    private static byte[] millis(Duration duration) {
        return utf8(Long.toString(ceilDiv(duration.toNanos(), NANOS_PER_MILLI)));
    }

    private static long ceilDiv(long dividend, long divisor) {
        return -Math.floorDiv(-dividend, divisor);
    }
}
