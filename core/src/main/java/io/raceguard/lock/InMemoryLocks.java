package io.raceguard.lock;

import static java.util.Objects.requireNonNull;

import io.raceguard.Ticker;

/**
 * Leases kept in this JVM's memory: the embedded default, and the reference semantics every other
 * backend is held to by {@code io.raceguard.testing.contract.LockManagerContract}.
 *
 * <pre>{@code
 * LockManager locks = InMemoryLocks.create();
 * locks.withLock("coupon:SAVE20", LeaseOptions.ttl(Duration.ofSeconds(5)).waitUpTo(Duration.ofSeconds(1)),
 *         lease -> redeem(lease.fencingToken()));
 * }</pre>
 *
 * <p><b>Atomicity.</b> Taking a key and minting its fencing token are one atomic map operation;
 * release and extension are compare-and-set on the holder the owner saw, so they are owner-checked.
 * Fencing tokens come from one counter per manager: strictly increasing per key, also after the key
 * expired, with no memory kept per key once it is free.
 *
 * <p><b>Failure model.</b> Locks exclude only callers of the same manager instance, in one JVM; they
 * vanish with the process. Expiry runs on the manager's {@link Ticker}, so the store and the safety
 * deadlines share one clock. A waiter on a busy key is woken as soon as the key is released.
 *
 * <p>This class is a stateless factory; the managers it creates are thread-safe.
 */
public final class InMemoryLocks {

    private InMemoryLocks() {}

    /** @return a new, empty lock manager on the system ticker */
    public static LockManager create() {
        return create(Ticker.system());
    }

    /**
     * @param ticker the clock of both expiry and safety deadlines; tests pass a manual one
     * @return a new, empty lock manager
     * @throws NullPointerException if {@code ticker} is null
     */
    public static LockManager create(Ticker ticker) {
        return builder(ticker).build();
    }

    /**
     * @param ticker the clock of both expiry and safety deadlines; tests pass a manual one
     * @return a builder of a new, empty lock manager, for further options such as
     *     {@link LockManagerBuilder#events}
     * @throws NullPointerException if {@code ticker} is null
     */
    public static LockManagerBuilder<?> builder(Ticker ticker) {
        requireNonNull(ticker, "ticker");
        return LockManager.builder(new InMemoryLockBackend(ticker)).ticker(ticker);
    }
}
