package io.raceguard.testing;

import java.time.Duration;
import java.util.Locale;

/** Short, unit-bearing text for durations in reports: {@code 41 us}, {@code 4.2 ms}, {@code 30 s}. */
final class DurationText {

    private static final long MICRO = 1_000;
    private static final long MILLI = 1_000_000;
    private static final long SECOND = 1_000_000_000;

    private DurationText() {}

    static String of(Duration duration) {
        return of(duration.toNanos());
    }

    /**
     * @param nanos a non-negative duration in nanoseconds
     * @return e.g. {@code 0 us}, {@code <1 us}, {@code 41 us}, {@code 4.2 ms}, {@code 420 ms}, {@code 1.5 s},
     *     {@code 2 min}
     */
    static String of(long nanos) {
        if (nanos == 0) {
            return "0 us";
        }
        if (nanos < MICRO) {
            return "<1 us";
        }
        if (nanos < MILLI) {
            return Math.round((double) nanos / MICRO) + " us";
        }
        if (nanos < 10 * MILLI && nanos % MILLI != 0) {
            return String.format(Locale.ROOT, "%.1f ms", (double) nanos / MILLI);
        }
        if (nanos < SECOND) {
            return Math.round((double) nanos / MILLI) + " ms";
        }
        if (nanos % (60 * SECOND) == 0) {
            return nanos / (60 * SECOND) + " min";
        }
        if (nanos % SECOND == 0) {
            return nanos / SECOND + " s";
        }
        return String.format(Locale.ROOT, "%.1f s", (double) nanos / SECOND);
    }
}
