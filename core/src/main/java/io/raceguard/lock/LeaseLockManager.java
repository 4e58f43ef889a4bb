package io.raceguard.lock;

import static io.raceguard.internal.Inputs.requireKey;
import static java.util.Objects.requireNonNull;

import io.raceguard.Ticker;
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
 *   <li>If the key is busy, {@code tryAcquire} returns empty; {@code acquire} pauses for an
 *       exponentially growing, fully jittered time between the builder's minimum and maximum backoff,
 *       never past the remaining wait, inside {@link LockBackend#awaitRelease} (which returns early
 *       when the backend learns of a release), then goes back to step 3. Once the wait time is
 *       spent it throws {@link LockTimeoutException}.
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
        long waitNanos = options.waitTime().toNanos();
        long startedWaiting = ticker.read();
        for (int attempt = 0; ; attempt++) {
            TrackedLease lease = attemptInterruptibly(key, OwnerTokens.next(), options);
            long waited = ticker.read() - startedWaiting;
            if (lease != null) {
                events.forKey(key).lockAcquired(waited);
                return lease;
            }
            if (waited >= waitNanos) {
                events.forKey(key).lockTimedOut(waited);
                throw new LockTimeoutException(key, Duration.ofNanos(waited));
            }
            backend.awaitRelease(key, Duration.ofNanos(backoff.pauseNanos(attempt, waitNanos - waited)));
            requireOpen();
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
}
