package io.raceguard.lock;

import static io.raceguard.internal.Inputs.requireNonNegative;
import static io.raceguard.internal.Inputs.requirePositive;

import java.time.Duration;

/**
 * How a lease is taken: how long the store keeps it ({@code ttl}), how long {@link
 * LockManager#acquire} may wait for it, and whether it renews itself while held.
 *
 * <pre>{@code
 * LeaseOptions.ttl(Duration.ofSeconds(5)).waitUpTo(Duration.ofSeconds(2)).withAutoRenew()
 * }</pre>
 *
 * <p>Immutable and thread-safe; validated on construction.
 *
 * @param ttl how long the store keeps the lease without renewal; positive, at most 365 days
 * @param waitTime how long {@link LockManager#acquire} waits for a busy lock; zero means one attempt
 * @param autoRenew whether the lease is renewed at about a third of its ttl until released or lost
 */
public record LeaseOptions(Duration ttl, Duration waitTime, boolean autoRenew) {

    /**
     * @throws NullPointerException if a duration is null
     * @throws IllegalArgumentException if {@code ttl} is not positive or a duration is out of range
     */
    public LeaseOptions {
        requirePositive(ttl, "ttl");
        requireNonNegative(waitTime, "waitTime");
    }

    /**
     * @param ttl how long the store keeps the lease
     * @return options with that ttl, no waiting and no auto-renew
     */
    public static LeaseOptions ttl(Duration ttl) {
        return new LeaseOptions(ttl, Duration.ZERO, false);
    }

    /**
     * @param waitTime how long {@link LockManager#acquire} may wait; zero for a single attempt
     * @return a copy with that wait time
     */
    public LeaseOptions waitUpTo(Duration waitTime) {
        return new LeaseOptions(ttl, waitTime, autoRenew);
    }

    /** @return a copy whose leases renew themselves until released or lost */
    public LeaseOptions withAutoRenew() {
        return new LeaseOptions(ttl, waitTime, true);
    }
}
