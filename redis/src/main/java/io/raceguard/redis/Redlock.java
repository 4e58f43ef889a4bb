package io.raceguard.redis;

import static io.raceguard.internal.SetOnce.requireUnset;
import static java.util.Objects.requireNonNull;

import io.raceguard.lock.LockManager;
import io.raceguard.lock.LockManagerBuilder;
import io.raceguard.lock.spi.LockBackend;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import redis.clients.jedis.UnifiedJedis;

/**
 * Opt-in locks over N independent Redis masters (the Redlock algorithm): a lease is granted only
 * when a majority of masters granted it within its validity window. Prefer {@link RedisLocks} with
 * fencing; use this only where losing one Redis must not stop locking and the trade-offs below are
 * acceptable.
 *
 * <p><b>Algorithm.</b> For {@code acquire(key, ttl)}:
 * <ol>
 *   <li>note the local monotonic time {@code start};
 *   <li>on every master at once, run the single-node acquire script of {@link RedisLocks}
 *       ({@code SET key owner NX PX ttl} plus a local fencing token), waiting at most {@code ttl};
 *   <li>{@code validity = ttl - (now - start) - (ttl * clockDriftFactor + 2 ms)};
 *   <li>if at least {@code N/2 + 1} masters granted it and {@code validity > 0}, the lease is held;
 *   <li>otherwise release it on every master (owner-checked, also on masters that did not answer,
 *       since they may have applied it) and report the lock busy, or throw
 *       {@link io.raceguard.BackendException} if fewer than a majority answered at all. The undo
 *       runs on other threads and may reach a master after the caller's next attempt; it cannot
 *       free what that attempt won, because the lock engine presents a new owner token on each
 *       attempt.
 * </ol>
 * Extension works the same way (a majority must extend within the window, else the lease is lost);
 * release runs the owner-checked delete on every master and reports success when a majority
 * released. Waiting, the local safety deadline, renewal and {@code onLost} come from the shared lock
 * engine ({@link LockManager#builder}).
 *
 * <p><b>Failure model.</b> Redlock's safety rests on timing assumptions that ordinary systems can break:
 * <ul>
 *   <li><b>Clock jumps.</b> Each master expires keys by its own wall clock. A master whose clock jumps
 *       forward expires the lease early; if that master was part of the majority, another client can
 *       then win a majority while the first still holds the lease. The drift factor covers only slow
 *       drift, not jumps.
 *   <li><b>Process pauses and network delay</b> longer than the remaining validity leave a holder that
 *       believes it holds an expired lease. {@link io.raceguard.lock.Lease#checkValid()} narrows the
 *       window; it cannot close it.
 *   <li><b>Restarts without persistence.</b> A master that restarts empty (no AOF with
 *       {@code appendfsync always}) forgets the leases it granted, and can grant them again to a second
 *       client, which then has a majority too. Keep a restarted master out of service for at least the
 *       longest ttl, or persist with fsync.
 *   <li><b>No safe fencing across masters.</b> Each master mints its own token from its own clock (see
 *       {@link RedisLocks}); {@link io.raceguard.lock.Lease#fencingToken()} is the largest token among
 *       the masters that granted the lease. Any two majorities share a master, but the maximum can
 *       still come from a master whose clock runs ahead, so tokens of successive holders increase only
 *       as far as the masters' clocks agree. Treat the token as a hint, not as a fence a resource may
 *       rely on; where a stale holder must be stopped, use {@link RedisLocks} and
 *       {@link RedisFencedWrites} on one Redis (or a consensus store).
 * </ul>
 * A master that is down only reduces the margin: with N = 3 one master may be down, with N = 5 two.
 *
 * <p>Thread-safe. {@link LockManager#close()} stops the renewal scheduler and the threads that call
 * the masters; the clients are not closed.
 */
public final class Redlock {

    /** The key prefix used unless the builder is given another. */
    public static final String DEFAULT_KEY_PREFIX = "raceguard:redlock:";

    /** The clock drift factor used unless the builder is given another. */
    public static final double DEFAULT_CLOCK_DRIFT_FACTOR = 0.01;

    private Redlock() {}

    /**
     * @param masters the clients of N independent Redis masters (not replicas of one another, not one
     *     Cluster), N odd and at least 3; shared and not closed by the lock manager
     * @return a lock manager with the default options
     * @throws NullPointerException if the list or an element is null
     * @throws IllegalArgumentException if N is even or below 3, or a client appears twice
     */
    public static LockManager create(List<? extends UnifiedJedis> masters) {
        return builder(masters).build();
    }

    /**
     * @param masters the clients of N independent Redis masters, N odd and at least 3
     * @return a builder
     * @throws NullPointerException if the list or an element is null
     * @throws IllegalArgumentException if N is even or below 3, or a client appears twice
     */
    public static Builder builder(List<? extends UnifiedJedis> masters) {
        return new Builder(masters);
    }

    /**
     * Options of a Redlock lock manager, on top of the {@link LockManagerBuilder} ones (the ticker
     * is also the time base of validity windows). Each option is checked when set, and may be set
     * once. Not thread-safe.
     */
    public static final class Builder extends LockManagerBuilder<Builder> {
        private final List<UnifiedJedis> masters;
        private String keyPrefix;
        private Double clockDriftFactor;

        private Builder(List<? extends UnifiedJedis> masters) {
            requireNonNull(masters, "masters");
            List<UnifiedJedis> copy = new ArrayList<>(masters.size());
            Set<UnifiedJedis> seen = Collections.newSetFromMap(new IdentityHashMap<>());
            for (UnifiedJedis master : masters) {
                requireNonNull(master, "masters contains null");
                if (!seen.add(master)) {
                    throw new IllegalArgumentException("masters must be distinct clients; one appears twice");
                }
                copy.add(master);
            }
            if (copy.size() < 3 || copy.size() % 2 == 0) {
                throw new IllegalArgumentException("masters must be an odd number >= 3, was " + copy.size());
            }
            this.masters = List.copyOf(copy);
        }

        /**
         * @param keyPrefix prepended to every Redis key of these locks on every master; may be empty,
         *     at most 256 characters, no {@code {} or {@code }}
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
         * @param factor the share of the ttl assumed lost to clock drift between client and masters,
         *     in {@code [0, 0.5)}; the validity of a lease is its ttl minus the time the grant took,
         *     minus {@code ttl * factor + 2 ms}
         * @return this builder
         * @throws IllegalArgumentException if {@code factor} is outside {@code [0, 0.5)}
         * @throws IllegalStateException if the factor is already set
         */
        public Builder clockDriftFactor(double factor) {
            if (!(factor >= 0 && factor < 0.5)) {
                throw new IllegalArgumentException("clockDriftFactor must be in [0, 0.5), was " + factor);
            }
            requireUnset(this.clockDriftFactor, "clockDriftFactor");
            this.clockDriftFactor = factor;
            return this;
        }

        /** Creates the backend; no connection is made until the first call. */
        @Override
        protected LockBackend backend() {
            return new RedlockBackend(
                    masters,
                    keyPrefix == null ? DEFAULT_KEY_PREFIX : keyPrefix,
                    clockDriftFactor == null ? DEFAULT_CLOCK_DRIFT_FACTOR : clockDriftFactor,
                    ticker());
        }
    }
}
