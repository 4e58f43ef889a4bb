package io.raceguard.limit;

import static io.raceguard.internal.Inputs.requirePositive;
import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * A rate-limit policy: at most {@code limit} permits per {@code window}, counted by one of three
 * algorithms.
 *
 * <ul>
 *   <li>{@link Algorithm#FIXED_WINDOW}: a counter per window aligned on {@code floor(now / window)};
 *       simple, allows up to twice the limit across a window boundary.
 *   <li>{@link Algorithm#SLIDING_WINDOW}: the current window's count plus the previous window's count
 *       weighted by how much of it still overlaps the last {@code window}; no boundary burst.
 *   <li>{@link Algorithm#TOKEN_BUCKET}: GCRA, a bucket of {@code limit} permits refilled evenly, one
 *       every {@code window / limit}; smooth, with bursts up to {@code limit}.
 * </ul>
 *
 * <p>Every backend computes these in whole milliseconds with the exact integer arithmetic written
 * down in the <a href="package-summary.html#arithmetic">package documentation</a>, so a policy decides
 * the same in memory, in Redis and in SQL. That is why a window is a whole number of milliseconds and
 * why {@code limit * window} in milliseconds is at most {@value #MAX_LIMIT_TIMES_WINDOW_MILLIS}
 * (2<sup>53</sup>, the largest range a Lua number holds exactly): one second allows up to about
 * 9&times;10<sup>12</sup> permits, one day about 10<sup>8</sup>, 365 days 285,616.
 *
 * <p>Immutable and thread-safe; validated on construction.
 *
 * @param algorithm how permits are counted
 * @param limit permits per window, {@code > 0}, at most {@code 2^53 / windowMillis()}
 * @param window the window length: a whole number of milliseconds, from 1 ms to
 *     {@link io.raceguard.internal.Inputs#MAX_DURATION}
 */
public record RateLimit(Algorithm algorithm, long limit, Duration window) {

    /** The largest {@code limit * windowMillis()} a policy may have: 2<sup>53</sup>. */
    public static final long MAX_LIMIT_TIMES_WINDOW_MILLIS = 1L << 53;

    private static final long NANOS_PER_MILLI = 1_000_000L;

    /** How permits are counted. */
    public enum Algorithm {
        /** A counter per aligned window. */
        FIXED_WINDOW,
        /** A weighted count over the last window (sliding window counter). */
        SLIDING_WINDOW,
        /** The generic cell rate algorithm: a token bucket refilled evenly. */
        TOKEN_BUCKET
    }

    /**
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if {@code limit <= 0}, the window is out of range or not a whole
     *     number of milliseconds, or {@code limit * windowMillis()} exceeds
     *     {@link #MAX_LIMIT_TIMES_WINDOW_MILLIS}
     */
    public RateLimit {
        requireNonNull(algorithm, "algorithm");
        requirePositive(limit, "limit");
        requirePositive(window, "window");
        if (window.toNanos() % NANOS_PER_MILLI != 0) {
            throw new IllegalArgumentException("window must be a whole number of milliseconds, was " + window);
        }
        long largestLimit = MAX_LIMIT_TIMES_WINDOW_MILLIS / window.toMillis();
        if (limit > largestLimit) {
            throw new IllegalArgumentException("limit must be at most " + largestLimit + " for a window of "
                    + window + " (limit * window in ms at most 2^53), was " + limit);
        }
    }

    /** @return a fixed-window policy of {@code limit} permits per {@code window} */
    public static RateLimit fixedWindow(long limit, Duration window) {
        return new RateLimit(Algorithm.FIXED_WINDOW, limit, window);
    }

    /** @return a sliding-window policy of {@code limit} permits per {@code window} */
    public static RateLimit slidingWindow(long limit, Duration window) {
        return new RateLimit(Algorithm.SLIDING_WINDOW, limit, window);
    }

    /** @return a token bucket (GCRA) of {@code limit} permits refilled over {@code window} */
    public static RateLimit tokenBucket(long limit, Duration window) {
        return new RateLimit(Algorithm.TOKEN_BUCKET, limit, window);
    }

    /** @return the window in milliseconds, the {@code W} of the package documentation's arithmetic */
    public long windowMillis() {
        return window.toMillis();
    }
}
