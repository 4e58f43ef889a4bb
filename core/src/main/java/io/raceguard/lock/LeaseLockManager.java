package io.raceguard.lock;

import static io.raceguard.internal.Inputs.requireKey;
import static java.util.Objects.requireNonNull;

import io.raceguard.Ticker;
import io.raceguard.internal.Backoff;
import io.raceguard.internal.EventRouting;
import io.raceguard.internal.Events;
import io.raceguard.internal.OwnerTokens;
import io.raceguard.lock.spi.LockBackend;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The lease-lock engine every backend shares: it turns the three atomic store operations of a
 * {@link LockBackend} into a {@link LockManager}. Built by {@link LockManagerBuilder#build()}.
 *
 * <p><b>Algorithm.</b>
 * <ol>
 *   <li>Validate the key ({@link io.raceguard.internal.Inputs#requireKey}) and the options, and check that
 *       the manager is open, before any I/O.
 *   <li>Mint an owner token: 128 bits from one shared {@link java.security.SecureRandom}, in hex. A
 *       waiting {@code acquire} mints a new one for each attempt: a store may still be cleaning up
 *       a failed attempt when the next one runs (Redlock undoes partial grants on other threads),
 *       and an owner-checked cleanup that arrives late must never free what a later attempt won.
 *   <li>Read the ticker, then call {@link LockBackend#tryAcquire}. The reading is taken just before
 *       the call because the store cannot have started the ttl any earlier.
 *   <li>If the store granted the key, the lease's local safety deadline is that reading plus the
 *       ttl minus a drift margin of {@code ttl/100 + 2 ms} (Redlock's), so the holder stops trusting
 *       the lease before the store can expire it.
 *   <li>If the key is busy, {@code tryAcquire} returns empty. A waiting {@code acquire} then joins the
 *       key's line of this manager's waiters (a caller that finds a line already there joins it at
 *       once, without trying first; a zero wait time never joins). Only the first in line goes back
 *       to step 3 (once the lease of the waiter before it is released, if that one took the key); the
 *       others park until it leaves the line, with the lease or without. Between its
 *       attempts the first in line pauses for an exponentially growing, jittered time between the
 *       builder's minimum and maximum backoff, never past the remaining wait: parked until the
 *       release when a lease of this manager holds the key (the release wakes it at once), inside
 *       {@link LockBackend#awaitRelease} otherwise (which returns early when the backend learns of a
 *       release). Once the wait time is spent it throws {@link LockTimeoutException}. So waiters of
 *       one manager take a contended key in arrival order; between managers, backoff decides.
 *   <li>If the waiting thread is interrupted, {@code acquire} throws {@link InterruptedException}. An
 *       attempt that succeeded (or faulted, so may have succeeded) while the interrupt arrived is
 *       released first with its owner token, so no lease is left behind.
 *   <li>A lease with {@link LeaseOptions#autoRenew()} is renewed to the ttl it was taken with, on
 *       the manager's single scheduler thread, every third of that ttl less up to 10% jitter. Each
 *       renewal measures its new deadline as in step 4; renewals and {@link Lease#extend} calls of
 *       one lease never overlap, so the deadline is always that of the extension applied last. A renewal the store refuses marks the lease lost at once; a renewal that throws is
 *       retried sooner, and the lease is lost when its deadline passes without a confirmed renewal.
 *   <li>A lease that does not renew but has {@code onLost} callbacks gets a timer at its deadline
 *       that marks it lost. Leases with neither schedule nothing.
 *   <li>Losing a lease is a compare-and-set of its state, so the callbacks run exactly once, on the
 *       thread that noticed the loss; a released lease never fires them.
 *   <li>Release is a compare-and-set too: the first call cancels the lease's timer and asks the
 *       store to release; later calls do nothing. A store fault there is logged, not thrown.
 * </ol>
 *
 * <p>Thread-safe.
 */
final class LeaseLockManager implements LockManager {

    private static final Logger LOG = LoggerFactory.getLogger(LeaseLockManager.class);

    private final LockBackend backend;
    private final Ticker ticker;
    private final Backoff backoff;
    private final EventRouting events;
    private final LeaseScheduler scheduler = new LeaseScheduler();
    private final WaitingLines lines = new WaitingLines();
    private final AtomicBoolean closed = new AtomicBoolean();

    LeaseLockManager(LockBackend backend, Ticker ticker, Backoff backoff, EventRouting events) {
        this.backend = backend;
        this.ticker = ticker;
        this.backoff = backoff;
        this.events = events;
    }

    @Override
    public Optional<Lease> tryAcquire(String key, LeaseOptions options) {
        requireValid(key, options);
        TrackedLease lease = attempt(key, OwnerTokens.next(), options);
        if (lease == null) {
            events.forKey(key).lockRefused();
        } else {
            events.forKey(key).lockAcquired(0);
        }
        return Optional.ofNullable(lease);
    }

    @Override
    public Lease acquire(String key, LeaseOptions options) throws InterruptedException {
        requireValid(key, options);
        if (Thread.interrupted()) {
            throw new InterruptedException("interrupted before taking a lock");
        }
        long startedWaiting = ticker.read();
        Events reporting = events.forKey(key);
        try {
            TrackedLease lease = acquireFrom(key, options, startedWaiting);
            if (reporting.listening()) {
                reporting.lockAcquired(ticker.read() - startedWaiting);
            }
            return lease;
        } catch (LockTimeoutException timedOut) {
            reporting.lockTimedOut(ticker.read() - startedWaiting);
            throw timedOut;
        }
    }

    private TrackedLease acquireFrom(String key, LeaseOptions options, long startedWaiting)
            throws InterruptedException {
        boolean triedFirst = options.waitTime().isZero() || !lines.hasWaiters(key);
        if (triedFirst) {
            TrackedLease lease = attemptInterruptibly(key, OwnerTokens.next(), options);
            if (lease != null) {
                return lease;
            }
            if (options.waitTime().isZero()) {
                throw new LockTimeoutException(key, Duration.ofNanos(ticker.read() - startedWaiting));
            }
        }
        WaitingLines.Line line = lines.join(key);
        try {
            return awaitInLine(key, options, line, startedWaiting, triedFirst);
        } finally {
            lines.leave(key, line);
        }
    }

    /**
     * @param triedFirst whether the caller tried the store just before joining; if it is first in line
     *     at once, it pauses before trying again
     */
    private TrackedLease awaitInLine(
            String key, LeaseOptions options, WaitingLines.Line line, long startedWaiting, boolean triedFirst)
            throws InterruptedException {
        long waitNanos = options.waitTime().toNanos();
        long releasesBefore = line.releases();
        boolean pauseFirst = triedFirst && line.isFirst(Thread.currentThread());
        if (!line.awaitTurn(ticker, startedWaiting + waitNanos)) {
            throw new LockTimeoutException(key, Duration.ofNanos(ticker.read() - startedWaiting));
        }
        if (!pauseFirst) {
            // When a lease of this line holds the key, its release, not a futile attempt, comes first.
            long left = waitNanos - (ticker.read() - startedWaiting);
            line.awaitRelease(line.releases(), backoff.pauseNanos(0, Math.max(1, left)));
        }
        for (int pauses = 0; ; pauses++) {
            if (pauses > 0 || !pauseFirst) {
                requireOpen();
                releasesBefore = line.releases();
                TrackedLease lease = attemptInterruptibly(key, OwnerTokens.next(), options);
                if (lease != null) {
                    line.took();
                    return lease;
                }
            }
            long waited = ticker.read() - startedWaiting;
            if (waited >= waitNanos) {
                throw new LockTimeoutException(key, Duration.ofNanos(waited));
            }
            long pauseNanos = backoff.pauseNanos(pauses, waitNanos - waited);
            if (!line.awaitRelease(releasesBefore, pauseNanos)) {
                backend.awaitRelease(key, Duration.ofNanos(pauseNanos));
            }
        }
    }

    private TrackedLease attemptInterruptibly(String key, String ownerToken, LeaseOptions options)
            throws InterruptedException {
        TrackedLease lease;
        try {
            lease = attempt(key, ownerToken, options);
        } catch (RuntimeException fault) {
            if (Thread.interrupted()) {
                // the store may have granted the key before the interrupt cut the call short
                InterruptedException interrupted = new InterruptedException("interrupted while taking a lock");
                interrupted.addSuppressed(fault);
                releaseQuietly(key, ownerToken, interrupted);
                throw interrupted;
            }
            throw fault;
        }
        if (lease != null && Thread.interrupted()) {
            lease.release();
            throw new InterruptedException("interrupted while taking a lock; the lease taken meanwhile was released");
        }
        return lease;
    }

    /** @return the lease, or {@code null} if another owner holds the key */
    private TrackedLease attempt(String key, String ownerToken, LeaseOptions options) {
        long startedAt = ticker.read();
        OptionalLong fencingToken = backend.tryAcquire(key, ownerToken, options.ttl());
        if (fencingToken.isEmpty()) {
            return null;
        }
        return TrackedLease.start(this, key, ownerToken, fencingToken.getAsLong(), options, startedAt);
    }

    private void releaseQuietly(String key, String ownerToken, Exception reported) {
        try {
            backend.release(key, ownerToken);
        } catch (RuntimeException fault) {
            reported.addSuppressed(fault);
        }
    }

    private void requireValid(String key, LeaseOptions options) {
        requireKey(key, "key");
        requireNonNull(options, "options");
        requireOpen();
    }

    private void requireOpen() {
        if (closed.get()) {
            throw new IllegalStateException("the lock manager is closed");
        }
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        scheduler.close();
        try {
            backend.close();
        } catch (RuntimeException fault) {
            LOG.warn("Could not close the lock backend", fault);
        }
    }

    LockBackend backend() {
        return backend;
    }

    Ticker ticker() {
        return ticker;
    }

    Events events(String key) {
        return events.forKey(key);
    }

    LeaseScheduler scheduler() {
        return scheduler;
    }

    /** Called by a lease of this manager once it asked the store to release its key. */
    void released(String key) {
        lines.released(key);
    }
}
