package io.raceguard.testing.contract;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import io.raceguard.BackendException;
import io.raceguard.lock.spi.LockBackend;
import io.raceguard.testing.ManualTicker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A working single-JVM lock store on a {@link ManualTicker}, with knobs that make it slow, faulty or
 * forgetful at chosen moments, so that the engine's own reactions can be tested. Not a mock: the
 * three operations really take, extend and free keys. Thread-safe.
 */
final class FaultInjectingLockBackend implements LockBackend {

    private record Holder(String owner, long fencingToken, long expiresAt) {}

    private final ManualTicker ticker;
    @GuardedBy("this")
    private final Map<String, Holder> holders = new HashMap<>();
    @GuardedBy("this")
    private long lastFencingToken;
    @GuardedBy("this")
    private final List<Duration> pauses = new ArrayList<>();
    @GuardedBy("this")
    private final List<String> attemptOwners = new ArrayList<>();

    final AtomicInteger acquireCalls = new AtomicInteger();
    final AtomicInteger extendCalls = new AtomicInteger();
    final AtomicInteger releaseCalls = new AtomicInteger();
    final AtomicInteger closeCalls = new AtomicInteger();

    /** How far the ticker moves during each acquire and extend call: the store's round trip. */
    volatile Duration latency = Duration.ZERO;
    /** Whether {@link #awaitRelease} moves the ticker instead of sleeping. */
    volatile boolean pausesMoveTheTicker;
    /** How many of the next extend calls throw. */
    final AtomicInteger extendFaults = new AtomicInteger();
    /** Whether release throws. */
    volatile boolean releaseFails;
    /** Runs on the caller's thread right after an acquisition is granted; may throw. */
    volatile Runnable afterGrant = () -> {};

    FaultInjectingLockBackend(ManualTicker ticker) {
        this.ticker = ticker;
    }

    @Override
    public OptionalLong tryAcquire(String key, String owner, Duration ttl) {
        acquireCalls.incrementAndGet();
        ticker.advance(latency);
        long fencingToken;
        synchronized (this) {
            attemptOwners.add(owner);
            Holder current = holders.get(key);
            if (current != null && ticker.read() < current.expiresAt) {
                return OptionalLong.empty();
            }
            fencingToken = ++lastFencingToken;
            holders.put(key, new Holder(owner, fencingToken, ticker.read() + ttl.toNanos()));
        }
        afterGrant.run();
        return OptionalLong.of(fencingToken);
    }

    @Override
    public boolean extend(String key, String owner, Duration ttl) {
        extendCalls.incrementAndGet();
        ticker.advance(latency);
        if (extendFaults.getAndUpdate(left -> Math.max(0, left - 1)) > 0) {
            throw new BackendException("injected extend fault", new IllegalStateException("store unreachable"));
        }
        synchronized (this) {
            Holder current = holders.get(key);
            if (current == null || !current.owner.equals(owner) || ticker.read() >= current.expiresAt) {
                return false;
            }
            holders.put(key, new Holder(owner, current.fencingToken, ticker.read() + ttl.toNanos()));
            return true;
        }
    }

    @Override
    public boolean release(String key, String owner) {
        releaseCalls.incrementAndGet();
        if (releaseFails) {
            throw new BackendException("injected release fault", new IllegalStateException("store unreachable"));
        }
        synchronized (this) {
            Holder current = holders.get(key);
            return current != null && current.owner.equals(owner) && holders.remove(key, current);
        }
    }

    @Override
    public void awaitRelease(String key, Duration maxWait) throws InterruptedException {
        synchronized (this) {
            pauses.add(maxWait);
        }
        if (pausesMoveTheTicker) {
            ticker.advance(maxWait);
        } else {
            LockBackend.super.awaitRelease(key, maxWait);
        }
    }

    @Override
    public void close() {
        closeCalls.incrementAndGet();
    }

    /** Hands the key to another owner, as a store that lost it (failover, eviction) and re-granted it would. */
    synchronized void giveToAnotherOwner(String key) {
        holders.put(key, new Holder("another-owner", ++lastFencingToken, Long.MAX_VALUE));
    }

    /** Hands the key to another owner until {@code ttl} from now on the ticker. */
    synchronized void giveToAnotherOwnerFor(String key, Duration ttl) {
        holders.put(key, new Holder("another-owner", ++lastFencingToken, ticker.read() + ttl.toNanos()));
    }

    /** @return the owner token of every acquire call, in order */
    synchronized List<String> attemptOwners() {
        return List.copyOf(attemptOwners);
    }

    /** @return the owner the store has for the key, or {@code null} */
    synchronized String ownerOf(String key) {
        Holder current = holders.get(key);
        return current == null ? null : current.owner;
    }

    /** @return the pauses the engine asked for, in order */
    synchronized List<Duration> pauses() {
        return List.copyOf(pauses);
    }
}
