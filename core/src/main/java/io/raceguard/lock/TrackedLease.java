package io.raceguard.lock;

import static io.raceguard.internal.Inputs.requirePositive;
import static java.util.Objects.requireNonNull;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The lease {@link LeaseLockManager} hands out: the store's answer (owner token, fencing token) plus
 * the local bookkeeping (safety deadline, renewal, loss notification). See the manager's javadoc for
 * the algorithm.
 *
 * <p>State moves once from {@code HELD} to one of the lost states or to {@code RELEASED}, and from a
 * lost state to {@code RELEASED}; every move is a compare-and-set, so callbacks fire at most once and
 * release runs at most once. Thread-safe.
 */
final class TrackedLease implements Lease {

    private static final Logger LOG = LoggerFactory.getLogger(TrackedLease.class);

    private static final int HELD = 0;
    /** The store said another owner holds the key (or nobody does). */
    private static final int REFUSED = 1;
    /** The safety deadline passed before a renewal or extension was confirmed. */
    private static final int DEADLINE_PASSED = 2;
    private static final int RELEASED = 3;

    private static final long MIN_DRIFT_NANOS = 2_000_000;
    private static final VarHandle STATE;
    private static final VarHandle EXTENSION_LOCK;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            STATE = lookup.findVarHandle(TrackedLease.class, "state", int.class);
            EXTENSION_LOCK = lookup.findVarHandle(TrackedLease.class, "extensionLock", ReentrantLock.class);
        } catch (ReflectiveOperationException impossible) {
            throw new ExceptionInInitializerError(impossible);
        }
    }

    private final LeaseLockManager manager;
    private final String key;
    private final String ownerToken;
    private final long fencingToken;
    private final Duration ttl;
    private final boolean autoRenew;
    private final long acquiredAt;

    private volatile int state;
    /** Ticker reading after which the lease is no longer trusted; written only under {@link #extensionLock}. */
    private volatile long deadline;
    private volatile ScheduledFuture<?> timer;
    /** Created on the first extension: most leases are never extended. */
    private volatile ReentrantLock extensionLock;
    private List<Runnable> callbacks; // guarded by this
    private boolean deadlineWatched; // guarded by this

    private TrackedLease(LeaseLockManager manager, String key, String ownerToken, long fencingToken,
            LeaseOptions options, long acquireStartedAt) {
        this.manager = manager;
        this.key = key;
        this.ownerToken = ownerToken;
        this.fencingToken = fencingToken;
        this.ttl = options.ttl();
        this.autoRenew = options.autoRenew();
        this.deadline = safetyDeadline(acquireStartedAt, ttl);
        this.acquiredAt = acquireStartedAt;
    }

    /**
     * @param acquireStartedAt the ticker reading taken just before the store call that granted the lease
     * @return the lease, renewing itself if the options ask for it
     */
    static TrackedLease start(LeaseLockManager manager, String key, String ownerToken, long fencingToken,
            LeaseOptions options, long acquireStartedAt) {
        TrackedLease lease = new TrackedLease(manager, key, ownerToken, fencingToken, options, acquireStartedAt);
        if (lease.autoRenew) {
            lease.schedule(lease::renew, lease.renewalDelayNanos());
        }
        return lease;
    }

    /**
     * The store keeps the lease until at least {@code startedAt + ttl} on its own clock, since it
     * could not have received the request earlier; the drift margin (Redlock's: 1% plus 2 ms) covers
     * the two clocks running at slightly different rates.
     */
    private static long safetyDeadline(long startedAt, Duration ttl) {
        long ttlNanos = ttl.toNanos();
        return startedAt + ttlNanos - (ttlNanos / 100 + MIN_DRIFT_NANOS);
    }

    @Override
    public String key() {
        return key;
    }

    @Override
    public String ownerToken() {
        return ownerToken;
    }

    @Override
    public long fencingToken() {
        return fencingToken;
    }

    @Override
    public boolean isValid() {
        return state == HELD && manager.ticker().read() - deadline < 0;
    }

    @Override
    public void checkValid() {
        int current = state;
        if (current == HELD) {
            if (manager.ticker().read() - deadline < 0) {
                return;
            }
            throw new LeaseLostException(key, "the lease is past its safety deadline");
        }
        throw new LeaseLostException(key, describe(current));
    }

    private String describe(int lostOrReleased) {
        switch (lostOrReleased) {
            case REFUSED:
                return "the lease was lost: the store no longer holds it for this owner";
            case DEADLINE_PASSED:
                return autoRenew
                        ? "the lease was lost: its safety deadline passed before a renewal was confirmed"
                        : "the lease was lost: its safety deadline passed";
            default:
                return "the lease was released";
        }
    }

    @Override
    public Duration remaining() {
        if (state != HELD) {
            return Duration.ZERO;
        }
        long left = deadline - manager.ticker().read();
        return left > 0 ? Duration.ofNanos(left) : Duration.ZERO;
    }

    @Override
    public boolean extend(Duration ttl) {
        requirePositive(ttl, "ttl");
        if (state != HELD) {
            return false;
        }
        boolean extended;
        ReentrantLock lock = extensionLock();
        lock.lock();
        try {
            extended = extendOnStore(ttl);
        } finally {
            lock.unlock();
        }
        if (!extended) {
            markLost(REFUSED);
        }
        return extended;
    }

    /**
     * Asks the store to extend, and moves the deadline on success. Callers hold {@link
     * #extensionLock}: extensions of one lease are serialized, so the deadline always belongs to the
     * extension the store applied last. A refusal is for the caller to report once it has let go of
     * the lock, so that callbacks never run under it.
     *
     * @return whether the store extended the lease; false without asking once it is no longer held
     */
    private boolean extendOnStore(Duration newTtl) {
        if (state != HELD) {
            return false;
        }
        long startedAt = manager.ticker().read();
        if (!manager.backend().extend(key, ownerToken, newTtl)) {
            return false;
        }
        deadline = safetyDeadline(startedAt, newTtl);
        manager.events(key).lockExtended();
        return true;
    }

    private ReentrantLock extensionLock() {
        ReentrantLock lock = extensionLock;
        if (lock == null) {
            EXTENSION_LOCK.compareAndSet(this, null, new ReentrantLock());
            lock = extensionLock;
        }
        return lock;
    }

    /** Runs on the scheduler: renews the lease, retries a failed renewal, or gives it up at its deadline. */
    private void renew() {
        if (state != HELD) {
            return;
        }
        if (manager.ticker().read() - deadline >= 0) {
            markLost(DEADLINE_PASSED);
            return;
        }
        ReentrantLock lock = extensionLock();
        if (!lock.tryLock()) {
            // a caller's extend() is in flight and will set the deadline; never block the shared thread on it
            schedule(this::renew, renewalDelayNanos());
            return;
        }
        boolean extended;
        try {
            extended = extendOnStore(ttl);
        } catch (RuntimeException fault) {
            LOG.warn("Could not renew a lease; retrying until its safety deadline", fault);
            LOG.debug("Renewal failed for lock key {}", key);
            schedule(this::renew, retryDelayNanos());
            return;
        } finally {
            lock.unlock();
        }
        if (extended) {
            schedule(this::renew, renewalDelayNanos());
        } else {
            markLost(REFUSED);
        }
    }

    /** About a third of the ttl, drawn a little early so that leases taken together renew apart. */
    private long renewalDelayNanos() {
        long period = ttl.toNanos() / 3;
        return period - jitterNanos(period / 10);
    }

    /** A quarter of the renewal period, but never past the deadline: the last retry decides the loss. */
    private long retryDelayNanos() {
        long pause = renewalDelayNanos() / 4;
        return Math.min(pause, deadline - manager.ticker().read());
    }

    private static long jitterNanos(long bound) {
        return bound > 0 ? ThreadLocalRandom.current().nextLong(bound) : 0;
    }

    @Override
    public void onLost(Runnable callback) {
        requireNonNull(callback, "callback");
        if (state == HELD && manager.ticker().read() - deadline >= 0) {
            markLost(DEADLINE_PASSED);
        }
        boolean runNow;
        boolean watch = false;
        synchronized (this) {
            int current = state;
            if (current == RELEASED) {
                return;
            }
            runNow = current != HELD;
            if (!runNow) {
                if (callbacks == null) {
                    callbacks = new ArrayList<>(2);
                }
                callbacks.add(callback);
                watch = !autoRenew && !deadlineWatched;
                deadlineWatched |= watch;
            }
        }
        if (runNow) {
            runCallback(callback);
        } else if (watch) {
            watchDeadline();
        }
    }

    /** Runs on the scheduler for a lease that does not renew but has callbacks to fire at its deadline. */
    private void watchDeadline() {
        if (state != HELD) {
            return;
        }
        long left = deadline - manager.ticker().read();
        if (left <= 0) {
            markLost(DEADLINE_PASSED);
        } else {
            schedule(this::watchDeadline, left); // extended meanwhile: look again at the new deadline
        }
    }

    private void markLost(int reason) {
        if (!STATE.compareAndSet(this, HELD, reason)) {
            return;
        }
        LOG.debug("Lease lost for lock key {}: {}", key, describe(reason));
        manager.events(key).lockLost();
        cancelTimer();
        List<Runnable> toRun;
        synchronized (this) {
            toRun = callbacks;
            callbacks = null;
        }
        if (toRun != null) {
            toRun.forEach(TrackedLease::runCallback);
        }
    }

    private static void runCallback(Runnable callback) {
        try {
            callback.run();
        } catch (RuntimeException failure) {
            LOG.warn("An onLost callback of a lease threw", failure);
        }
    }

    /**
     * Schedules the next timer task. The state is checked again after publishing the timer, so a
     * release or loss racing with this call either sees the new timer and cancels it, or is seen here.
     */
    private void schedule(Runnable task, long delayNanos) {
        ScheduledFuture<?> next = manager.scheduler().schedule(task, delayNanos);
        timer = next;
        if (next != null && state != HELD) {
            next.cancel(false);
        }
    }

    private void cancelTimer() {
        ScheduledFuture<?> current = timer;
        if (current != null) {
            current.cancel(false);
        }
    }

    @Override
    public void release() {
        int current;
        do {
            current = state;
            if (current == RELEASED) {
                return;
            }
        } while (!STATE.compareAndSet(this, current, RELEASED));
        reportRelease(current);
        cancelTimer();
        synchronized (this) {
            callbacks = null;
        }
        awaitExtensionInFlight();
        try {
            manager.backend().release(key, ownerToken);
        } catch (RuntimeException fault) {
            // The protected work is done and the key expires at its ttl anyway; throwing here would
            // make callers retry work that already completed.
            LOG.warn("Could not release a lease; it expires at its ttl", fault);
            LOG.debug("Release failed for lock key {}", key);
        }
        manager.released(key);
    }

    /** A lease still held but past its deadline was lost unnoticed: its release is when that shows. */
    private void reportRelease(int stateBefore) {
        if (!manager.events(key).listening()) {
            return;
        }
        long now = manager.ticker().read();
        if (stateBefore == HELD && now - deadline >= 0) {
            manager.events(key).lockLost();
        }
        manager.events(key).lockReleased(now - acquiredAt);
    }

    /**
     * Lets an extension or renewal that passed its state check before the release finish first, so
     * that none reaches the store after this lease's release. Any extension starting later sees the
     * released state under the lock and stays away from the store.
     */
    private void awaitExtensionInFlight() {
        ReentrantLock lock = extensionLock;
        if (lock != null) {
            lock.lock();
            lock.unlock();
        }
    }

    @Override
    public void close() {
        release();
    }

    @Override
    public String toString() {
        // the key and owner token stay out: leases end up in logs
        return "Lease[fencingToken=" + fencingToken + ", valid=" + isValid() + "]";
    }
}
