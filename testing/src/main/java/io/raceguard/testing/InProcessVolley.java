package io.raceguard.testing;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.IntConsumer;

/**
 * Fires a round of in-process calls:
 * <ol>
 *   <li>starts one new worker thread per call; each counts itself ready and parks at the {@link ReleaseGate};
 *   <li>once every worker is parked, opens the gate;
 *   <li>each worker reads {@link System#nanoTime()} as soon as it is released, then makes its call and
 *       records what it returned or threw and how long it took;
 *   <li>waits for the calls up to the call timeout, then interrupts any still running and records
 *       them as still running.
 * </ol>
 *
 * <p>Thread-safe: rounds share nothing but the immutable configuration.
 */
final class InProcessVolley<T> implements Volley<T> {

    /**
     * How busy the calls must keep the cores to be called CPU-bound. Calls that outnumber the cores and
     * need only CPU queue for them and keep every core busy nearly all the round; calls that also wait
     * (on a lock, a database, a socket) leave cores idle, and while one waits another runs, so they
     * overlap however few the cores.
     */
    private static final double SATURATED_SHARE = 0.75;

    private final Call<? extends T> call;
    private final WorkerThreads threads;
    private final Duration callTimeout;
    private final IntConsumer afterRelease;

    /**
     * @param call what each worker calls
     * @param threads the worker threads
     * @param callTimeout how long to wait for the workers to park, and then for the calls
     */
    InProcessVolley(Call<? extends T> call, WorkerThreads threads, Duration callTimeout) {
        this(call, threads, callTimeout, worker -> {});
    }

    /**
     * @param afterRelease run by each worker between its release and its release reading; tests use
     *     it to hold one worker back and see the skew grow
     */
    InProcessVolley(Call<? extends T> call, WorkerThreads threads, Duration callTimeout, IntConsumer afterRelease) {
        this.call = requireNonNull(call, "call");
        this.threads = requireNonNull(threads, "threads");
        this.callTimeout = requireNonNull(callTimeout, "callTimeout");
        this.afterRelease = requireNonNull(afterRelease, "afterRelease");
    }

    @Override
    public Round<T> fire(int number, int times) throws InterruptedException {
        ReleaseGate gate = new ReleaseGate(times);
        CountDownLatch finished = new CountDownLatch(times);
        AtomicReferenceArray<CallResult<T>> results = new AtomicReferenceArray<>(times);
        AtomicLongArray releasedAt = new AtomicLongArray(times);
        List<Thread> workers = new ArrayList<>(times);
        try {
            for (int worker = 0; worker < times; worker++) {
                int index = worker;
                Thread thread = threads.newThread(() -> work(index, gate, releasedAt, results, finished));
                workers.add(thread);
                thread.start();
            }
            if (!gate.awaitAllArrived(callTimeout)) {
                throw new HammerException("the " + times + " workers did not reach the gate within "
                        + DurationText.of(callTimeout), null);
            }
        } catch (RuntimeException | Error | InterruptedException e) {
            workers.forEach(Thread::interrupt);
            if (e instanceof InterruptedException || e instanceof HammerException) {
                throw e;
            }
            throw new HammerException("could not start worker " + workers.size() + " of " + times, e);
        }
        long openedAt = System.nanoTime();
        gate.open(workers);
        try {
            finished.await(callTimeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            workers.forEach(Thread::interrupt);
            throw e;
        }
        return Round.measured(number, collect(results, releasedAt, workers, openedAt));
    }

    private void work(int worker, ReleaseGate gate, AtomicLongArray releasedAt,
            AtomicReferenceArray<CallResult<T>> results, CountDownLatch finished) {
        try {
            gate.arriveAndAwait();
        } catch (InterruptedException e) {
            finished.countDown(); // the round was abandoned before the gate opened
            return;
        }
        afterRelease.accept(worker);
        long released = System.nanoTime();
        releasedAt.set(worker, released);
        boolean measureCpu = !threads.virtual();
        long cpuBefore = measureCpu ? CpuClock.currentThreadNanos() : -1;
        CallResult<T> result;
        try {
            T value = call.call(worker);
            result = CallResult.returned(worker, value, released, System.nanoTime() - released, cpuSince(cpuBefore));
        } catch (Throwable failure) { // an AssertionError or an Error from the call is a finding like any other
            result = CallResult.threw(worker, failure, released, System.nanoTime() - released, cpuSince(cpuBefore));
        }
        results.set(worker, result);
        finished.countDown();
    }

    private static long cpuSince(long cpuBefore) {
        if (cpuBefore < 0) {
            return -1;
        }
        long now = CpuClock.currentThreadNanos();
        return now < 0 ? -1 : now - cpuBefore;
    }

    private List<CallResult<T>> collect(AtomicReferenceArray<CallResult<T>> results, AtomicLongArray releasedAt,
            List<Thread> workers, long openedAt) {
        long now = System.nanoTime();
        List<CallResult<T>> calls = new ArrayList<>(workers.size());
        for (int worker = 0; worker < workers.size(); worker++) {
            CallResult<T> result = results.get(worker);
            if (result == null) {
                workers.get(worker).interrupt();
                long released = releasedAt.get(worker) == 0 ? openedAt : releasedAt.get(worker);
                TimeoutException timeout = new TimeoutException("still running after " + DurationText.of(callTimeout));
                result = CallResult.stillRunning(worker, timeout, released, now - released);
            }
            calls.add(result);
        }
        return calls;
    }

    @Override
    public String describe(int times) {
        return times + " calls on " + threads.describe();
    }

    @Override
    public List<String> warnings(List<Round<T>> rounds) {
        int cores = Runtime.getRuntime().availableProcessors();
        if (threads.virtual() || rounds.isEmpty() || rounds.get(0).times() <= cores) {
            return List.of();
        }
        double busy = medianCoresBusy(rounds, cores);
        if (busy < SATURATED_SHARE) {
            return List.of();
        }
        return List.of(String.format(Locale.ROOT,
                "%d calls on platform threads but %d cores, and the calls are CPU-bound (they kept the cores %.0f%%"
                        + " busy): at most %d run at once, so they overlap less than %d would; use at most %d calls"
                        + " for CPU-bound code",
                rounds.get(0).times(), cores, busy * 100, cores, rounds.get(0).times(), cores));
    }

    /**
     * How busy the calls kept the cores, per round: their CPU time over the round's span times the
     * cores. Calls that wait on I/O or sleep use little of it however many there are; CPU-bound
     * calls use nearly all of it, because once they outnumber the cores they queue for them.
     */
    private static double medianCoresBusy(List<? extends Round<?>> rounds, int cores) {
        List<Double> busy = new ArrayList<>();
        for (Round<?> round : rounds) {
            long cpu = 0;
            long first = Long.MAX_VALUE;
            long last = Long.MIN_VALUE;
            for (CallResult<?> call : round.calls()) {
                if (call.cpuNanos() < 0) {
                    return 0; // not measurable
                }
                cpu += call.cpuNanos();
                first = Math.min(first, call.releasedAtNanos());
                last = Math.max(last, call.releasedAtNanos() + call.duration().toNanos());
            }
            if (last > first) {
                busy.add(Math.min(1.0, (double) cpu / ((last - first) * (double) cores)));
            }
        }
        if (busy.isEmpty()) {
            return 0;
        }
        busy.sort(null);
        return busy.get(busy.size() / 2);
    }
}
