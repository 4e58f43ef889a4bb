package io.raceguard.testing.contract;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An {@code onLost} callback that counts its calls and lets a test wait for the first one, which
 * may come on the lock manager's scheduler thread. Thread-safe.
 */
final class LossCounter implements Runnable {

    private final AtomicInteger calls = new AtomicInteger();
    private final CountDownLatch firstCall = new CountDownLatch(1);

    @Override
    public void run() {
        calls.incrementAndGet();
        firstCall.countDown();
    }

    /** @return how often the lease reported its loss to this callback so far */
    int calls() {
        return calls.get();
    }

    /**
     * @param timeout the longest wait
     * @return whether the first call came within {@code timeout}
     * @throws InterruptedException if interrupted while waiting
     */
    boolean awaitFirstCall(Duration timeout) throws InterruptedException {
        return firstCall.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }
}
