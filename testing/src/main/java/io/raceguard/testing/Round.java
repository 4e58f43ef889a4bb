package io.raceguard.testing;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * One round of a hammer: {@link #times()} calls released together, what each of them did, and how
 * tightly they were released.
 *
 * <p>The <em>release skew</em> is the race window the round actually achieved: for in-process calls,
 * the largest minus the smallest {@link System#nanoTime()} read by the workers just after the gate
 * released them; for HTTP, the spread of the moments the final bytes were sent. It is not the spread
 * of response times, which says nothing about how closely the calls overlapped.
 *
 * <p>Immutable; thread-safe if the call values are.
 *
 * @param <T> the type of value each call returns
 */
public final class Round<T> {

    private final int number;
    private final List<CallResult<T>> calls;
    private final Duration releaseSkew;
    private final Duration arrivalSpread;

    /**
     * @param number the round's number, from 1
     * @param calls each call's result, in worker order
     * @param releaseSkew the measured release skew
     * @param arrivalSpread the spread of arrival times the server reported, or {@code null} if it reported none
     */
    Round(int number, List<CallResult<T>> calls, Duration releaseSkew, Duration arrivalSpread) {
        this.number = number;
        this.calls = List.copyOf(calls);
        this.releaseSkew = requireNonNull(releaseSkew, "releaseSkew");
        this.arrivalSpread = arrivalSpread;
    }

    /**
     * A round whose skew is measured from the calls' own release readings.
     *
     * @param number the round's number, from 1
     * @param calls each call's result, in worker order, not empty
     * @param <T> the value type
     * @return the round
     */
    static <T> Round<T> measured(int number, List<CallResult<T>> calls) {
        long first = Long.MAX_VALUE;
        long last = Long.MIN_VALUE;
        for (CallResult<T> call : calls) {
            first = Math.min(first, call.releasedAtNanos());
            last = Math.max(last, call.releasedAtNanos());
        }
        return new Round<>(number, calls, Duration.ofNanos(last - first), null);
    }

    /** @return the round's number: from 1 in the main run, and from 1 again for each size tried while shrinking */
    public int number() {
        return number;
    }

    /** @return how many calls ran concurrently */
    public int times() {
        return calls.size();
    }

    /** @return each call's result, in worker order */
    public List<CallResult<T>> calls() {
        return calls;
    }

    /** @return the values of the calls that returned, in worker order; {@code null} values included */
    public List<T> values() {
        List<T> values = new ArrayList<>(calls.size());
        for (CallResult<T> call : calls) {
            if (call.returned()) {
                values.add(call.value());
            }
        }
        return Collections.unmodifiableList(values);
    }

    /**
     * @param matching a predicate on returned values
     * @return how many of the calls that returned returned a value matching it
     */
    public long count(Predicate<? super T> matching) {
        requireNonNull(matching, "matching");
        return values().stream().filter(matching).count();
    }

    /** @return the calls that threw or did not finish in time */
    public List<CallResult<T>> failedCalls() {
        return calls.stream().filter(call -> !call.returned()).toList();
    }

    /** @return the release skew: how far apart the calls were released */
    public Duration releaseSkew() {
        return releaseSkew;
    }

    /**
     * @return for HTTP with an arrival header configured, the largest minus the smallest arrival
     *     timestamp the server echoed; otherwise empty
     */
    public Optional<Duration> arrivalSpread() {
        return Optional.ofNullable(arrivalSpread);
    }

    /** @return {@code true} if some call was still running when the round gave up waiting */
    boolean hung() {
        return calls.stream().anyMatch(CallResult::stillRunning);
    }
}
