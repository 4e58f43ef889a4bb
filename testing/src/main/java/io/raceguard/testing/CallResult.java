package io.raceguard.testing;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.Optional;

/**
 * What one concurrent call did in one round: the value it returned or what it threw, when it was
 * released, and how long it ran.
 *
 * <p>Immutable; thread-safe if the value is.
 *
 * @param <T> the type of value the call returns
 */
public final class CallResult<T> {

    private final int worker;
    private final T value;
    private final Throwable failure;
    private final boolean stillRunning;
    private final long releasedAtNanos;
    private final Duration duration;
    private final long cpuNanos;

    private CallResult(int worker, T value, Throwable failure, boolean stillRunning, long releasedAtNanos,
            Duration duration, long cpuNanos) {
        this.worker = worker;
        this.value = value;
        this.failure = failure;
        this.stillRunning = stillRunning;
        this.releasedAtNanos = releasedAtNanos;
        this.duration = duration;
        this.cpuNanos = cpuNanos;
    }

    static <T> CallResult<T> returned(int worker, T value, long releasedAtNanos, long durationNanos, long cpuNanos) {
        return new CallResult<>(worker, value, null, false, releasedAtNanos, Duration.ofNanos(durationNanos), cpuNanos);
    }

    static <T> CallResult<T> threw(int worker, Throwable failure, long releasedAtNanos, long durationNanos,
            long cpuNanos) {
        return new CallResult<>(worker, null, requireNonNull(failure, "failure"), false, releasedAtNanos,
                Duration.ofNanos(durationNanos), cpuNanos);
    }

    static <T> CallResult<T> stillRunning(int worker, Throwable timeout, long releasedAtNanos, long durationNanos) {
        return new CallResult<>(worker, null, requireNonNull(timeout, "timeout"), true, releasedAtNanos,
                Duration.ofNanos(durationNanos), -1);
    }

    /** @return the worker's index in its round, from 0; the {@code worker} argument an indexed call received */
    public int worker() {
        return worker;
    }

    /** @return {@code true} if the call returned (possibly {@code null}), {@code false} if it threw or hung */
    public boolean returned() {
        return failure == null;
    }

    /**
     * @return the value the call returned, possibly {@code null}
     * @throws IllegalStateException if the call threw or did not finish; the cause is what it threw
     */
    public T value() {
        if (failure != null) {
            throw new IllegalStateException("call " + worker + " did not return a value", failure);
        }
        return value;
    }

    /**
     * @return what the call threw; for a call still running when the round gave up on it, a
     *     {@link java.util.concurrent.TimeoutException}
     */
    public Optional<Throwable> failure() {
        return Optional.ofNullable(failure);
    }

    /** @return {@code true} if the call had not finished when the round's call timeout ran out */
    public boolean stillRunning() {
        return stillRunning;
    }

    /**
     * @return the worker's {@link System#nanoTime()} just after the gate released it; only differences
     *     between the calls of one round are meaningful
     */
    public long releasedAtNanos() {
        return releasedAtNanos;
    }

    /** @return from release to return (or to the timeout, for a call still running) */
    public Duration duration() {
        return duration;
    }

    /** @return CPU time the call used on its thread, or -1 where the JVM cannot tell (virtual threads, HTTP) */
    long cpuNanos() {
        return cpuNanos;
    }

    @Override
    public String toString() {
        String what = stillRunning ? "still running" : failure != null ? "threw " + failure : "returned " + value;
        return "call " + worker + " " + what + " after " + DurationText.of(duration);
    }
}
