package io.raceguard.jdbc;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/** Starts tasks on threads that all wait behind one gate, then opens it, so that the calls overlap. */
final class GatedThreads {

    private static final long TIMEOUT_SECONDS = 120;

    private GatedThreads() {}

    /**
     * @return each task's result, in task order
     * @throws AssertionError if a task threw or they did not all finish in time
     */
    static <T> List<T> runTogether(List<Callable<T>> tasks) throws InterruptedException {
        ExecutorService workers = Executors.newFixedThreadPool(tasks.size());
        try {
            CountDownLatch ready = new CountDownLatch(tasks.size());
            CountDownLatch gate = new CountDownLatch(1);
            List<Future<T>> futures = new ArrayList<>();
            for (Callable<T> task : tasks) {
                futures.add(workers.submit(() -> {
                    ready.countDown();
                    gate.await();
                    return task.call();
                }));
            }
            if (!ready.await(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                throw new AssertionError("the workers did not start");
            }
            gate.countDown();
            List<T> results = new ArrayList<>();
            for (Future<T> future : futures) {
                try {
                    results.add(future.get(TIMEOUT_SECONDS, TimeUnit.SECONDS));
                } catch (Exception e) {
                    throw new AssertionError("a concurrent task failed or hung: " + e, e);
                }
            }
            return results;
        } finally {
            workers.shutdownNow();
        }
    }

    /** {@link #runTogether(List)} with the same task {@code threads} times. */
    static <T> List<T> runTogether(int threads, Callable<T> task) throws InterruptedException {
        List<Callable<T>> tasks = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            tasks.add(task);
        }
        return runTogether(tasks);
    }
}
