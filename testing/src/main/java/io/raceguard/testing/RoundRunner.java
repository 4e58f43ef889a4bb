package io.raceguard.testing;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Runs the rounds of one hammer run:
 * <ol>
 *   <li>for each round up to the round budget, unless the time budget has run out: run the reset hook,
 *       let every check (the user's invariants, between the built-in ones, see {@link BuiltInChecks})
 *       read its "before" state, fire the round, and check it;
 *   <li>stop at the first failing round unless asked to keep going, and always at a hung call, whose
 *       thread may still hold the state the next reset would clear;
 *   <li>if a round failed, shrink: binary-search the number of calls below the failing one for the
 *       smallest that still breaks the check behind the verdict (see {@link Shrink});
 *   <li>publish the report to the test's reporter.
 * </ol>
 * Runs on the calling thread; not thread-safe, one run per instance.
 */
final class RoundRunner<T> {

    private final HammerSettings settings;
    private final Volley<T> volley;
    private final List<Invariant<? super T>> invariants;
    private final List<Invariant<? super T>> checks;

    RoundRunner(HammerSettings settings, Volley<T> volley, List<Invariant<? super T>> invariants) {
        this.settings = requireNonNull(settings, "settings");
        this.volley = requireNonNull(volley, "volley");
        this.invariants = List.copyOf(invariants);
        this.checks = BuiltInChecks.around(this.invariants, check -> check);
    }

    HammerReport<T> run() {
        long deadline = System.nanoTime() + settings.timeBudget().toNanos();
        List<CheckedRound<T>> rounds = new ArrayList<>();
        Played<T> firstFailure = null;
        StopReason stop = StopReason.ROUND_BUDGET;
        for (int number = 1; number <= settings.rounds(); number++) {
            if (number > 1 && pastDeadline(deadline)) {
                stop = StopReason.TIME_BUDGET;
                break;
            }
            Played<T> played = play(number, settings.times());
            rounds.add(played.checked());
            if (firstFailure == null && played.checked().failed()) {
                firstFailure = played;
            }
            if (played.checked().round().hung()) {
                stop = StopReason.HUNG;
                break;
            }
            if (played.checked().failed() && !settings.keepGoing()) {
                stop = StopReason.FIRST_FAILURE;
                break;
            }
        }
        boolean shrinkable = firstFailure != null && stop != StopReason.HUNG && settings.shrinkRounds() > 0
                && settings.times() > 1;
        Shrink shrink = shrinkable ? shrink(firstFailure.broken().get(0), deadline) : null;
        List<Round<T>> played = rounds.stream().map(CheckedRound::round).toList();
        HammerReport<T> report = new HammerReport<>(volley.describe(settings.times()),
                invariants.stream().map(Invariant::description).toList(), settings, rounds, stop, shrink,
                volley.warnings(played));
        publish(report);
        return report;
    }

    /** @param target the index of the check whose breach a smaller size must reproduce */
    private Shrink shrink(int target, long deadline) {
        int low = 1;
        int high = settings.times();
        List<Shrink.Probe> probes = new ArrayList<>();
        boolean cutShort = false;
        while (low < high) {
            int middle = (low + high) >>> 1;
            Optional<Shrink.Probe> probe = pastDeadline(deadline) ? Optional.empty() : probe(middle, target, deadline);
            if (probe.isEmpty()) {
                cutShort = true;
                break;
            }
            probes.add(probe.get());
            if (probe.get().failed()) {
                high = middle;
            } else {
                low = middle + 1;
            }
        }
        return new Shrink(settings.times(), high, settings.shrinkRounds(), probes, cutShort);
    }

    /** @return the probe, or empty if the time budget ran out or a call hung before it could tell */
    private Optional<Shrink.Probe> probe(int times, int target, long deadline) {
        for (int number = 1; number <= settings.shrinkRounds(); number++) {
            if (number > 1 && pastDeadline(deadline)) {
                return Optional.empty();
            }
            Played<T> played = play(number, times);
            if (played.broken().contains(target)) {
                return Optional.of(new Shrink.Probe(times, number, true));
            }
            if (played.checked().round().hung()) {
                return Optional.empty();
            }
        }
        return Optional.of(new Shrink.Probe(times, settings.shrinkRounds(), false));
    }

    private Played<T> play(int number, int times) {
        reset(number);
        List<Invariant.Check<? super T>> started = new ArrayList<>(checks.size());
        for (Invariant<? super T> check : checks) {
            try {
                started.add(check.beforeRound());
            } catch (Exception e) {
                throw new HammerException("invariant '" + check.description()
                        + "' could not read the state before round "
                        + number, e);
            }
        }
        Round<T> round = fire(number, times);
        List<Violation> violations = new ArrayList<>();
        List<Integer> broken = new ArrayList<>();
        for (int i = 0; i < started.size(); i++) {
            Optional<Violation> violation;
            try {
                violation = started.get(i).afterRound(round);
            } catch (Exception e) {
                throw new HammerException("invariant '" + checks.get(i).description() + "' could not check round "
                        + number, e);
            }
            if (violation.isPresent()) {
                violations.add(violation.get());
                broken.add(i);
            }
        }
        return new Played<>(new CheckedRound<>(round, violations), broken);
    }

    private void reset(int number) {
        try {
            settings.beforeEachRound().execute();
        } catch (Throwable e) { // the hook is a JUnit Executable, which may throw anything
            throw new HammerException("the reset before round " + number + " threw", e);
        }
    }

    private Round<T> fire(int number, int times) {
        try {
            return volley.fire(number, times);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HammerException("interrupted while waiting for round " + number, e);
        }
    }

    private void publish(HammerReport<T> report) {
        settings.reporter().publishEntry("hammer", report.verdict());
        settings.reporter().publishEntry("hammer.summary", ReportText.summary(report));
        settings.reporter().publishEntry("hammer.rounds", ReportText.table(report));
    }

    private static boolean pastDeadline(long deadline) {
        return System.nanoTime() - deadline >= 0;
    }

    /**
     * A checked round and which checks it broke.
     *
     * @param checked the round and its violations
     * @param broken the index of each violation's check, in the order the checks run
     */
    private record Played<T>(CheckedRound<T> checked, List<Integer> broken) {}
}
