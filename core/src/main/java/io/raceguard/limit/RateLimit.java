package io.raceguard.limit;

import static io.raceguard.Inputs.requirePositive;
import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * A rate-limit policy: at most {@code limit} permits per {@code window}, counted by one of three
 * algorithms.
 *
 * <ul>
 *   <li>{@link Algorithm#FIXED_WINDOW}: a counter per aligned window; simple, allows up to twice the
 *       limit across a window boundary.
 *   <li>{@link Algorithm#SLIDING_WINDOW}: the current window's count plus the previous window's count
 *       weighted by how much of it still overlaps the last {@code window}; no boundary burst.
 *   <li>{@link Algorithm#TOKEN_BUCKET}: GCRA, a bucket of {@code limit} permits refilled evenly, one
 *       every {@code window / limit}; smooth, with bursts up to {@code limit}.
 * </ul>
 *
 * <p>Immutable and thread-safe; validated on construction.
 *
 * @param algorithm how permits are counted
 * @param limit permits per window, {@code > 0}
 * @param window the window length, positive, at least 1 ms
 */
public record RateLimit(Algorithm algorithm, long limit, Duration window) {

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
     * @throws IllegalArgumentException if {@code limit <= 0} or the window is out of range
     */
    public RateLimit {
        requireNonNull(algorithm, "algorithm");
        requirePositive(limit, "limit");
        requirePositive(window, "window");
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
}
