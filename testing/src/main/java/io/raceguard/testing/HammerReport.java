package io.raceguard.testing;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * What a hammer run found: every round with its violations, the hit rate, the smallest number of
 * calls that still failed, the release skew the rounds achieved, and warnings about rounds that
 * overlapped less than they seem to. {@link #verdict()} sums it up in one line;
 * {@link #toString()} gives the whole report, per-round table included.
 *
 * <p>Immutable; thread-safe if the call values are.
 *
 * @param <T> the type of value the calls return
 */
public final class HammerReport<T> {

    private final String calls;
    private final List<String> invariants;
    private final int plannedRounds;
    private final boolean keepGoing;
    private final Duration timeBudget;
    private final List<CheckedRound<T>> rounds;
    private final StopReason stop;
    private final Shrink shrink;
    private final List<String> warnings;

    HammerReport(String calls, List<String> invariants, HammerSettings settings, List<CheckedRound<T>> rounds,
            StopReason stop, Shrink shrink, List<String> warnings) {
        this.calls = requireNonNull(calls, "calls");
        this.invariants = List.copyOf(invariants);
        this.plannedRounds = settings.rounds();
        this.keepGoing = settings.keepGoing();
        this.timeBudget = settings.timeBudget();
        this.rounds = List.copyOf(rounds);
        this.stop = requireNonNull(stop, "stop");
        this.shrink = shrink;
        this.warnings = List.copyOf(warnings);
        if (this.rounds.isEmpty()) {
            throw new IllegalArgumentException("a report needs at least one round");
        }
    }

    /** @return {@code true} if some round broke an invariant */
    public boolean failed() {
        return rounds.stream().anyMatch(CheckedRound::failed);
    }

    /** @return the rounds of the main run, in order (shrinking's rounds are in {@link #shrink()}) */
    public List<CheckedRound<T>> rounds() {
        return rounds;
    }

    /** @return the rounds that broke an invariant */
    public List<CheckedRound<T>> failedRounds() {
        return rounds.stream().filter(CheckedRound::failed).toList();
    }

    /** @return the round budget; fewer ran if a round failed (unless keeping going) or time ran out */
    public int plannedRounds() {
        return plannedRounds;
    }

    /** @return how the failure was shrunk; empty if nothing failed, shrinking was off, or a call hung */
    public Optional<Shrink> shrink() {
        return Optional.ofNullable(shrink);
    }

    /** @return the smallest number of calls seen failing: the shrunk size, else the size that failed; empty if clean */
    public OptionalInt smallestFailingTimes() {
        if (shrink != null) {
            return OptionalInt.of(shrink.smallestFailing());
        }
        return failed() ? OptionalInt.of(rounds.get(0).round().times()) : OptionalInt.empty();
    }

    /**
     * @param percent 1 to 100
     * @return the nearest-rank percentile of the main run's per-round release skews
     * @throws IllegalArgumentException if {@code percent} is outside 1..100
     */
    public Duration releaseSkew(int percent) {
        if (percent < 1 || percent > 100) {
            throw new IllegalArgumentException("percent must be between 1 and 100, was " + percent);
        }
        return releaseSkews().percentile(percent);
    }

    /** @return the median of the main run's per-round release skews */
    public Duration medianReleaseSkew() {
        return releaseSkews().median();
    }

    /** @return the median arrival spread the server reported, if it reported one in every round */
    public Optional<Duration> medianArrivalSpread() {
        if (rounds.stream().anyMatch(checked -> checked.round().arrivalSpread().isEmpty())) {
            return Optional.empty();
        }
        return Optional.of(new SkewStatistics(rounds.stream()
                .map(checked -> checked.round().arrivalSpread().orElseThrow()).toList()).median());
    }

    /** @return warnings that the calls overlapped less than they seem to */
    public List<String> warnings() {
        return warnings;
    }

    /**
     * @return one line: {@code round 3 of 50 failed: double spend: 2 applied (expected exactly 1); median
     *     release skew 41 us; smallest failing N: 2}, or {@code 50/50 rounds clean, 20 calls each; median
     *     release skew 41 us}
     */
    public String verdict() {
        return VerdictLine.of(this);
    }

    /** @return the verdict followed by the summary and the per-round table */
    @Override
    public String toString() {
        return verdict() + System.lineSeparator() + ReportText.summary(this) + System.lineSeparator()
                + ReportText.table(this);
    }

    String calls() {
        return calls;
    }

    List<String> invariants() {
        return invariants;
    }

    boolean keepGoing() {
        return keepGoing;
    }

    Duration timeBudget() {
        return timeBudget;
    }

    StopReason stop() {
        return stop;
    }

    SkewStatistics releaseSkews() {
        return new SkewStatistics(rounds.stream().map(checked -> checked.round().releaseSkew()).toList());
    }
}
