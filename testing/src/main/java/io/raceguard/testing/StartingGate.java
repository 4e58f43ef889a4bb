package io.raceguard.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Runs the same task on several threads that are all started and parked before one gate, then
 * released together, so that the calls really overlap. Used by the contract kits.
 */
final class StartingGate {

    private static final long TIMEOUT_SECONDS = 60;

    private StartingGate() {}

    /**
     * @param threads how many threads
     * @param task the task each thread runs once, after the gate opens
     * @param <T> the result type
     * @return each thread's result, in thread order
     * @throws AssertionError if a task threw, or the threads did not finish within a minute
     */
    static <T> List<T> runTogether(int threads, Callable<T> task) throws InterruptedException {
        AtomicReferenceArray<T> results = new AtomicReferenceArray<>(threads);
        AtomicReferenceArray<Throwable> failures = new AtomicReferenceArray<>(threads);
        CountDownLatch ready = new CountDownLatch(threads);
        CountDownLatch gate = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(threads);
        List<Thread> workers = new ArrayList<>(threads);
        for (int i = 0; i < threads; i++) {
            int index = i;
            Thread worker = new Thread(() -> {
                try {
                    ready.countDown();
                    gate.await();
                    results.set(index, task.call());
                } catch (Throwable failure) {
                    failures.set(index, failure);
                } finally {
                    done.countDown();
                }
            }, "raceguard-gate-" + i);
            worker.setDaemon(true);
            workers.add(worker);
            worker.start();
        }
        ready.await();
        gate.countDown();
        if (!done.await(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            workers.forEach(Thread::interrupt);
            throw new AssertionError("concurrent calls did not finish within " + TIMEOUT_SECONDS + " s");
        }
        List<T> collected = new ArrayList<>(threads);
        for (int i = 0; i < threads; i++) {
            Throwable failure = failures.get(i);
            if (failure != null) {
                throw new AssertionError("concurrent call " + i + " failed: " + failure, failure);
            }
            collected.add(results.get(i));
        }
        return collected;
    }
}
