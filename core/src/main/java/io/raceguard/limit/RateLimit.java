package io.raceguard.limit;

import static io.raceguard.internal.Inputs.requirePositive;
import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * A rate-limit policy: {@code limit} permits per {@code window}, counted by one of four algorithms.
 * What "per window" bounds differs between them; with {@code L} the limit and {@code W} the window:
 *
 * <ul>
 *   <li>{@link Algorithm#FIXED_WINDOW}: at most {@code L} permits per <em>aligned</em> window, the
 *       windows {@code [k * W, (k + 1) * W)} since the Unix epoch. A rolling window of {@code W} that
 *       straddles a boundary can hold up to {@code 2L}: {@code L} at the end of one window and
 *       {@code L} more at the start of the next. Cheapest; for quotas, not for abuse limits.
 *   <li>{@link Algorithm#SLIDING_WINDOW}: the sliding window counter. The current aligned window's
 *       count plus the previous window's count weighted by the part of it still inside the last
 *       {@code W} stays at most {@code L}. An estimate: it assumes the previous window's permits were
 *       spread evenly, so a rolling window of {@code W} holds at most {@code 2L} in the worst case
 *       (all of the previous window's permits at its very end), and usually close to {@code L}.
 *       Constant memory per key.
 *   <li>{@link Algorithm#SLIDING_LOG}: the sliding log. At most {@code L} permits in <em>every</em>
 *       rolling window of {@code W}, exactly: it keeps the time of each permit granted in the last
 *       {@code W}, so memory and work grow with {@code L} (at most {@code L} entries per key, and
 *       {@code L} at most {@value #MAX_SLIDING_LOG_LIMIT}). For brute-force and abuse limits.
 *   <li>{@link Algorithm#TOKEN_BUCKET}: GCRA, a bucket of {@code L} permits refilled evenly, one every
 *       {@code W / L}. A burst is at most {@code L}; any interval of length {@code d} holds at most
 *       {@code L + d * L / W} permits, so a rolling window of {@code W} up to {@code 2L}, and the
 *       long-run rate is {@code L} per {@code W}. Constant memory per key.
 * </ul>
 *
 * <p>All four bound concurrent bursts as stated: each decision is one atomic step (see
 * {@link RateLimiter}), so a burst of concurrent requests never gets more than the algorithm's bound.
 *
 * <p>Every backend computes these in whole milliseconds with the exact integer arithmetic written
 * down in the <a href="package-summary.html#arithmetic">package documentation</a>, so a policy decides
 * the same in memory, in Redis and in SQL. That is why a window is a whole number of milliseconds and
 * why {@code limit * window} in milliseconds is at most {@value #MAX_LIMIT_TIMES_WINDOW_MILLIS}
 * (2<sup>53</sup>, the largest range a Lua number holds exactly): one second allows up to about
 * 9&times;10<sup>12</sup> permits, one day about 10<sup>8</sup>, 365 days 285,616. A sliding log keeps
 * one entry per permit, so its limit is also at most {@value #MAX_SLIDING_LOG_LIMIT}.
 *
 * <p>Immutable and thread-safe; validated on construction.
 *
 * @param algorithm how permits are counted
 * @param limit permits per window, {@code > 0}, at most {@code 2^53 / windowMillis()}, and for a sliding log
 *     at most {@value #MAX_SLIDING_LOG_LIMIT}
 * @param window the window length: a whole number of milliseconds, from 1 ms to
 *     {@link io.raceguard.internal.Inputs#MAX_DURATION}
 */
public record RateLimit(Algorithm algorithm, long limit, Duration window) {

    /** The largest {@code limit * windowMillis()} a policy may have: 2<sup>53</sup>. */
    public static final long MAX_LIMIT_TIMES_WINDOW_MILLIS = 1L << 53;

    /** The largest limit of a {@linkplain Algorithm#SLIDING_LOG sliding log}, which keeps an entry per permit. */
    public static final long MAX_SLIDING_LOG_LIMIT = 10_000;

    private static final long NANOS_PER_MILLI = 1_000_000L;

    /** How permits are counted. */
    public enum Algorithm {
        /** A counter per aligned window. */
        FIXED_WINDOW,
        /** A weighted count over the last window (sliding window counter): an estimate. */
        SLIDING_WINDOW,
        /** The time of every permit in the last window (sliding log): exact over every rolling window. */
        SLIDING_LOG,
        /** The generic cell rate algorithm: a token bucket refilled evenly. */
        TOKEN_BUCKET
    }

    /**
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if {@code limit <= 0}, the window is out of range or not a whole
     *     number of milliseconds, or {@code limit * windowMillis()} exceeds
     *     {@link #MAX_LIMIT_TIMES_WINDOW_MILLIS}, or a sliding log's limit exceeds {@link #MAX_SLIDING_LOG_LIMIT}
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
        if (algorithm == Algorithm.SLIDING_LOG && limit > MAX_SLIDING_LOG_LIMIT) {
            throw new IllegalArgumentException(
                    "limit must be at most " + MAX_SLIDING_LOG_LIMIT + " for a sliding log, was " + limit);
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

    /**
     * @return a sliding-log policy: at most {@code limit} permits in every rolling {@code window}, exactly
     */
    public static RateLimit slidingLog(long limit, Duration window) {
        return new RateLimit(Algorithm.SLIDING_LOG, limit, window);
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
