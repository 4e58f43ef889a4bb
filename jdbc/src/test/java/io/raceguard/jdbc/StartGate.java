package io.raceguard.jdbc;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

/**
 * Starts tasks on their own threads, parks them all behind one gate, then opens it, so that the
 * calls really overlap. Every wait is bounded.
 */
final class StartGate {

    static final long TIMEOUT_SECONDS = 60;

    private StartGate() {}

    /**
     * @param threads how many threads
     * @param task the task of thread {@code i}
     * @return each thread's result, in thread order
     * @throws AssertionError if a task threw or the threads did not finish in time
     */
    static <T> List<T> runTogether(int threads, IntFunction<Callable<T>> task) throws InterruptedException {
        ExecutorService executor = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch ready = new CountDownLatch(threads);
            CountDownLatch gate = new CountDownLatch(1);
            List<Future<T>> futures = new ArrayList<>(threads);
            for (int i = 0; i < threads; i++) {
                Callable<T> work = task.apply(i);
                futures.add(executor.submit(() -> {
                    ready.countDown();
                    if (!gate.await(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                        throw new AssertionError("the gate never opened");
                    }
                    return work.call();
                }));
            }
            if (!ready.await(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                throw new AssertionError("the threads did not reach the gate in time");
            }
            gate.countDown();
            List<T> results = new ArrayList<>(threads);
            for (int i = 0; i < threads; i++) {
                try {
                    results.add(futures.get(i).get(TIMEOUT_SECONDS, TimeUnit.SECONDS));
                } catch (java.util.concurrent.ExecutionException failure) {
                    throw new AssertionError("thread " + i + " failed: " + failure.getCause(), failure.getCause());
                } catch (java.util.concurrent.TimeoutException timeout) {
                    throw new AssertionError("thread " + i + " did not finish within " + TIMEOUT_SECONDS + " s",
                            timeout);
                }
            }
            return results;
        } finally {
            executor.shutdownNow();
            executor.awaitTermination(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        }
    }

    /**
     * Waits, bounded, until every naive thread has done its check: forces the interleaving the
     * race allows (all checks before any act), so the naive version loses deterministically.
     */
    static void awaitAll(CountDownLatch checked) throws InterruptedException {
        checked.countDown();
        if (!checked.await(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            throw new AssertionError("not every thread reached its check in time");
        }
    }
}
