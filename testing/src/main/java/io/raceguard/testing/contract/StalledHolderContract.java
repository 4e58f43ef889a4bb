package io.raceguard.testing.contract;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.raceguard.Outcome;
import io.raceguard.Rejection;
import io.raceguard.lock.Lease;
import io.raceguard.lock.LeaseLostException;
import io.raceguard.lock.LeaseOptions;
import io.raceguard.lock.LockManager;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestReporter;
import org.junit.jupiter.api.Timeout;

/**
 * What a lock manager and a fenced resource must do together when a lease holder stalls (a GC
 * pause, a frozen VM) past its ttl and then writes as if it still held the lock. A backend's test
 * extends this class and supplies the manager and the resource, written once with the fence and
 * once without:
 *
 * <pre>{@code
 * final class StalledLeaseHolderTest extends StalledHolderContract {
 *     @Override protected LockManager locks() { return locks; }
 *     @Override protected Resource fencedResource() { return fencedReport; }  // written with a fence check
 *     @Override protected Resource unfencedResource() { return plainReport; } // the same write without it
 * }
 * }</pre>
 *
 * <p>Each trial runs one interleaving, in order, on the test thread, so it is the same every time:
 * <ol>
 *   <li>the first holder takes the lock with a short ttl and no renewal, then stalls;
 *   <li>a second holder waits until the store has expired the first lease, takes the lock with a
 *       strictly higher fencing token, and writes its value;
 *   <li>the first holder wakes up and writes with its old token, as a holder that checked its lease
 *       just before the pause would.
 * </ol>
 * With the fence, across {@value #TRIALS} trials on one resource, no late write lands: each is
 * rejected with {@link Rejection#STALE_FENCE}, the resource keeps the second holder's value, and
 * {@link Lease#checkValid()} on the first lease throws. Without the fence, the same interleaving lets
 * the late write overwrite the second holder's value in every trial: the race is real.
 *
 * <p>Both holders take their leases from {@link #locks()}: a lease is a value owned by its owner
 * token, not by a manager or a thread, so two leases of one manager contend exactly as two processes
 * would. Each trial waits out one ttl ({@link #stallingTtl()}), so the class runs in about
 * {@value #TRIALS} ttls plus the store round trips.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
public abstract class StalledHolderContract {

    /** Trials with the fence. */
    protected static final int TRIALS = 100;
    /** Trials without the fence: enough to show the late write landing every time. */
    private static final int NAIVE_TRIALS = 3;
    private static final LeaseOptions TAKE_OVER = LeaseOptions.ttl(Duration.ofSeconds(30))
            .waitUpTo(Duration.ofSeconds(30));

    /**
     * A resource that lease holders write to, and its current value.
     *
     * <p>Implementations need not be thread-safe: the contract calls them from the test thread only.
     */
    public interface Resource {
        /**
         * @param fencingToken the writer's fencing token
         * @param value the value to store
         * @return {@code Applied} if the value was stored, {@code Rejected} with the reason otherwise
         */
        Outcome<?> write(long fencingToken, String value);

        /** @return the value stored now */
        String read();
    }

    /** @return the manager under test; the same instance for the whole test case, owned by the subclass */
    protected abstract LockManager locks();

    /** @return the resource whose writes are guarded by the writer's fencing token */
    protected abstract Resource fencedResource();

    /** @return another resource, written unconditionally: the naive version */
    protected abstract Resource unfencedResource();

    /**
     * @return the ttl of the stalling holder's lease, which every trial waits out; long enough for
     *     one store round trip on a busy machine, 100 ms by default. Each test has two minutes for its
     *     trials, so keep it well under a second.
     */
    protected Duration stallingTtl() {
        return Duration.ofMillis(100);
    }

    /**
     * Runs {@value #TRIALS} trials with the fence: zero late writes land.
     *
     * @param reporter gets the tally
     * @throws InterruptedException if interrupted while the second holder waits
     */
    @Test
    public void shouldRejectTheLateWriteOfAHolderThatStalledPastItsTtlInEveryTrial(TestReporter reporter)
            throws InterruptedException {
        TrialCounts tally = runTrials(TRIALS, fencedResource(), "fenced", reporter);
        assertAll(
                () -> assertEquals(TRIALS, tally.higherTokens, "trials where the second holder's token was higher"),
                () -> assertEquals(TRIALS, tally.secondWritesApplied, "trials where the second holder's write applied"),
                () -> assertEquals(0, tally.lateWritesApplied, "late writes of the stalled holder that landed"),
                () -> assertEquals(TRIALS, tally.lateWritesStale, "late writes rejected as STALE_FENCE"),
                () -> assertEquals(TRIALS, tally.secondValueKept, "trials ending with the second holder's value"),
                () -> assertEquals(TRIALS, tally.stalledLeasesInvalid, "stalled leases whose checkValid() threw"));
    }

    /**
     * Runs the same interleaving without the fence: the late write lands every time.
     *
     * @param reporter gets the tally
     * @throws InterruptedException if interrupted while the second holder waits
     */
    @Test
    public void shouldLetTheLateWriteOverwriteTheNewHolderWithoutTheFence(TestReporter reporter)
            throws InterruptedException {
        TrialCounts tally = runTrials(NAIVE_TRIALS, unfencedResource(), "unfenced", reporter);
        assertAll(
                () -> assertEquals(NAIVE_TRIALS, tally.higherTokens,
                        "trials where the second holder's token was higher"),
                () -> assertEquals(NAIVE_TRIALS, tally.secondWritesApplied,
                        "trials where the second holder's write applied"),
                () -> assertEquals(NAIVE_TRIALS, tally.lateWritesApplied,
                        "late writes of the stalled holder that landed"),
                () -> assertEquals(0, tally.secondValueKept, "trials ending with the second holder's value"),
                () -> assertEquals(NAIVE_TRIALS, tally.stalledLeasesInvalid,
                        "stalled leases whose checkValid() threw"));
    }

    private TrialCounts runTrials(int trials, Resource resource, String label, TestReporter reporter)
            throws InterruptedException {
        String key = "raceguard-stalled:" + UUID.randomUUID();
        LeaseOptions stalling = LeaseOptions.ttl(stallingTtl());
        TrialCounts tally = new TrialCounts(trials);
        for (int trial = 0; trial < trials; trial++) {
            Lease stalled = locks().tryAcquire(key, stalling)
                    .orElseThrow(() -> new AssertionError("the lock was busy at the start of a trial"));
            Lease second = locks().acquire(key, TAKE_OVER);
            try {
                tally.count(trial, stalled, second, resource);
            } finally {
                stalled.release();
                second.release();
            }
        }
        reporter.publishEntry("stalled holder, " + label, tally.toString());
        return tally;
    }

    /** What the trials observed; each counter counts trials. */
    private static final class TrialCounts {
        private final int trials;
        private int higherTokens;
        private int secondWritesApplied;
        private int lateWritesApplied;
        private int lateWritesStale;
        private int secondValueKept;
        private int stalledLeasesInvalid;

        TrialCounts(int trials) {
            this.trials = trials;
        }

        void count(int trial, Lease stalled, Lease second, Resource resource) {
            String secondValue = "second-" + trial;
            higherTokens += second.fencingToken() > stalled.fencingToken() ? 1 : 0;
            secondWritesApplied += resource.write(second.fencingToken(), secondValue).isApplied() ? 1 : 0;

            Outcome<?> late = resource.write(stalled.fencingToken(), "stalled-" + trial);
            lateWritesApplied += late.isApplied() ? 1 : 0;
            lateWritesStale += !late.isApplied() && late.rejection() == Rejection.STALE_FENCE ? 1 : 0;
            secondValueKept += secondValue.equals(resource.read()) ? 1 : 0;
            try {
                stalled.checkValid();
            } catch (LeaseLostException expected) {
                stalledLeasesInvalid++;
            }
        }

        @Override
        public String toString() {
            return trials + " trials: second holder's token higher in " + higherTokens + ", its write applied in "
                    + secondWritesApplied + "; late writes landed " + lateWritesApplied + ", rejected as STALE_FENCE "
                    + lateWritesStale + "; second holder's value kept in " + secondValueKept
                    + "; stalled lease's checkValid() threw in " + stalledLeasesInvalid;
        }
    }
}
