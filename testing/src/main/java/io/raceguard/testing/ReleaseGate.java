package io.raceguard.testing;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Holds a round's workers until all of them are parked, then lets them go together.
 *
 * <p>Each worker counts itself ready and parks on a volatile flag; {@link #open} sets the flag and
 * unparks every worker directly. Unlike a {@code CountDownLatch} or {@code CyclicBarrier}, whose
 * waiters wake one another in a chain, every worker here is woken by the opener, so the wake-ups do
 * not queue behind each other's scheduling.
 *
 * <p>Thread-safe: one opener, any number of workers.
 */
final class ReleaseGate {

    private final CountDownLatch ready;
    private volatile boolean open;

    /** @param workers how many workers will {@link #arriveAndAwait} */
    ReleaseGate(int workers) {
        this.ready = new CountDownLatch(workers);
    }

    /**
     * Counts the calling worker ready and parks it until the gate opens.
     *
     * @throws InterruptedException if the worker is interrupted before the gate opens
     */
    void arriveAndAwait() throws InterruptedException {
        ready.countDown();
        while (!open) {
            LockSupport.park(this);
            if (Thread.interrupted()) {
                throw new InterruptedException("interrupted before the gate opened");
            }
        }
    }

    /**
     * @param timeout how long to wait for every worker to arrive
     * @return {@code true} if all arrived in time
     * @throws InterruptedException if interrupted while waiting
     */
    boolean awaitAllArrived(Duration timeout) throws InterruptedException {
        return ready.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    /**
     * Opens the gate and wakes every worker.
     *
     * @param workers the parked worker threads
     */
    void open(List<Thread> workers) {
        open = true;
        for (Thread worker : workers) {
            LockSupport.unpark(worker);
        }
    }
}
