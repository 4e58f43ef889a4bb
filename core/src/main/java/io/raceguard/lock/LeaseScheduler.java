package io.raceguard.lock;

import static java.util.concurrent.TimeUnit.NANOSECONDS;
import static java.util.concurrent.TimeUnit.SECONDS;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one timer thread of a lock manager, shared by all its leases: renewals, retries after a failed
 * renewal, and safety-deadline watches. The thread is a daemon, created on first use (a manager whose
 * leases neither renew nor have {@code onLost} callbacks never starts it) and ended when idle for a
 * while or when the manager closes. Thread-safe.
 */
final class LeaseScheduler {

    private static final Logger LOG = LoggerFactory.getLogger(LeaseScheduler.class);
    private static final AtomicInteger SCHEDULERS = new AtomicInteger();
    private static final long IDLE_SECONDS = 30;
    private static final long CLOSE_WAIT_SECONDS = 5;

    private final String threadName = "raceguard-leases-" + SCHEDULERS.incrementAndGet();
    private volatile ScheduledThreadPoolExecutor executor;
    @GuardedBy("this")
    private boolean closed;

    /**
     * @param task what to run on the timer thread
     * @param delayNanos how long from now, not negative
     * @return the scheduled task, or {@code null} once the scheduler is closed
     */
    ScheduledFuture<?> schedule(Runnable task, long delayNanos) {
        ScheduledThreadPoolExecutor current = executor();
        if (current == null) {
            return null;
        }
        try {
            return current.schedule(task, Math.max(0, delayNanos), NANOSECONDS);
        } catch (RejectedExecutionException closedMeanwhile) {
            return null;
        }
    }

    /**
     * Stops the timer thread: pending tasks are dropped and a running one is interrupted, then
     * waited for (up to a few seconds, and not at all when called from the timer thread itself, as an
     * {@code onLost} callback may do). Idempotent.
     */
    void close() {
        ScheduledThreadPoolExecutor current;
        synchronized (this) {
            closed = true;
            current = executor;
        }
        if (current == null) {
            return;
        }
        if (Thread.currentThread().getName().equals(threadName)) {
            current.shutdown(); // drops pending tasks; interrupting ourselves would only hurt the caller
            return;
        }
        current.shutdownNow();
        try {
            if (!current.awaitTermination(CLOSE_WAIT_SECONDS, SECONDS)) {
                LOG.warn("A lease renewal still ran {} s after the lock manager closed", CLOSE_WAIT_SECONDS);
            }
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private ScheduledThreadPoolExecutor executor() {
        ScheduledThreadPoolExecutor current = executor;
        if (current != null) {
            return current;
        }
        synchronized (this) {
            if (executor == null && !closed) {
                executor = newExecutor();
            }
            return executor;
        }
    }

    private ScheduledThreadPoolExecutor newExecutor() {
        ScheduledThreadPoolExecutor created = new ScheduledThreadPoolExecutor(1, task -> {
            Thread thread = new Thread(task, threadName);
            thread.setDaemon(true);
            return thread;
        });
        created.setRemoveOnCancelPolicy(true); // released leases must not pile up in the queue
        created.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        created.setKeepAliveTime(IDLE_SECONDS, SECONDS);
        created.allowCoreThreadTimeOut(true);
        return created;
    }
}
