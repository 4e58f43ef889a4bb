package io.raceguard.testing;

import java.util.List;

/**
 * How a failing run was shrunk: a binary search over the numbers of calls below the one that failed,
 * each size tried for up to {@code roundsPerSize} rounds and counted as failing at its first round
 * that breaks the same check as the verdict (the first violation of the first failing round), so that
 * an invariant that depends on the number of calls, such as a histogram of 1 success and
 * {@code N - 1} refusals, cannot lead the search astray. A size that held may still fail in more
 * rounds, so {@link #smallestFailing()} is the smallest size seen failing, an upper bound on the true
 * minimum. The search tries at most {@code log2(from) + 1} sizes and stops early when the time budget
 * runs out or a call hangs.
 *
 * @param from the number of calls the run failed with
 * @param smallestFailing the smallest number of calls seen failing; 1 means the code fails without any concurrency
 * @param roundsPerSize the most rounds each size was tried for
 * @param probes the sizes tried, in order
 * @param cutShort {@code true} if the time budget or a hung call ended the search before it was done
 */
public record Shrink(int from, int smallestFailing, int roundsPerSize, List<Probe> probes, boolean cutShort) {

    /** Copies the probes. */
    public Shrink {
        probes = List.copyOf(probes);
    }

    /**
     * One size tried.
     *
     * @param times the number of calls
     * @param rounds how many rounds ran: up to the first failure, or all of {@code roundsPerSize}
     * @param failed whether one of them failed
     */
    public record Probe(int times, int rounds, boolean failed) {
        @Override
        public String toString() {
            return times + (failed ? " failed in round " + rounds : " held " + rounds + " rounds");
        }
    }
}
