package io.raceguard.testing;

import java.time.Duration;
import java.util.List;
import java.util.StringJoiner;

/** Percentiles and a decade histogram of per-round skews. */
final class SkewStatistics {

    private static final long[] BUCKET_LIMITS = {10_000, 100_000, 1_000_000, 10_000_000, 100_000_000};
    private static final String[] BUCKET_NAMES = {"<10 us", "10-100 us", "0.1-1 ms", "1-10 ms", "10-100 ms",
            ">=100 ms"};

    private final long[] sorted;

    /** @param skews one per round, not empty */
    SkewStatistics(List<Duration> skews) {
        this.sorted = skews.stream().mapToLong(Duration::toNanos).sorted().toArray();
    }

    /**
     * @param percent 1 to 100
     * @return the nearest-rank percentile
     */
    Duration percentile(int percent) {
        int rank = (int) Math.ceil(percent / 100.0 * sorted.length);
        return Duration.ofNanos(sorted[Math.max(rank, 1) - 1]);
    }

    Duration median() {
        return percentile(50);
    }

    /** @return {@code p50 41 us, p90 80 us, p99 120 us, max 130 us} */
    String summary() {
        return "p50 " + DurationText.of(median()) + ", p90 " + DurationText.of(percentile(90)) + ", p99 "
                + DurationText.of(percentile(99)) + ", max " + DurationText.of(sorted[sorted.length - 1]);
    }

    /** @return the non-empty decade buckets: {@code <10 us: 3, 10-100 us: 40} */
    String histogram() {
        int[] counts = new int[BUCKET_NAMES.length];
        for (long skew : sorted) {
            int bucket = 0;
            while (bucket < BUCKET_LIMITS.length && skew >= BUCKET_LIMITS[bucket]) {
                bucket++;
            }
            counts[bucket]++;
        }
        StringJoiner text = new StringJoiner(", ");
        for (int bucket = 0; bucket < counts.length; bucket++) {
            if (counts[bucket] > 0) {
                text.add(BUCKET_NAMES[bucket] + ": " + counts[bucket]);
            }
        }
        return text.toString();
    }
}
