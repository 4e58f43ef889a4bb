package io.raceguard.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The in-process hammer on real threads: skew, shrinking, failing and hanging calls, options. */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
final class HammerTest {

    private static final Duration HOLD = Duration.ofMillis(100);
    private static final long WAIT_SECONDS = 30;

    @Test
    void shouldMeasureALargerReleaseSkewWhenOneWorkerIsHeldBackAfterTheGate() throws InterruptedException {
        int times = 4;
        CountDownLatch othersReturned = new CountDownLatch(times - 1);
        Call<Integer> call = worker -> {
            if (worker != 0) {
                othersReturned.countDown();
            }
            return worker;
        };
        InProcessVolley<Integer> heldBack = new InProcessVolley<>(call, WorkerThreads.choose(ThreadChoice.AUTOMATIC),
                Duration.ofSeconds(WAIT_SECONDS), worker -> {
                    if (worker == 0) {
                        awaitThenSleep(othersReturned, HOLD);
                    }
                });
        InProcessVolley<Integer> together = new InProcessVolley<>(worker -> worker,
                WorkerThreads.choose(ThreadChoice.AUTOMATIC), Duration.ofSeconds(WAIT_SECONDS));

        Round<Integer> held = heldBack.fire(1, times);
        Round<Integer> free = together.fire(1, times);

        // Worker 0 read its release time at least HOLD after every other worker had returned.
        assertThat(held.releaseSkew()).isGreaterThanOrEqualTo(HOLD).isGreaterThan(free.releaseSkew());
        assertThat(held.releaseSkew().toNanos()).isEqualTo(spread(held));
        assertThat(free.releaseSkew().toNanos()).isEqualTo(spread(free));
    }

    @Test
    void shouldShrinkANaiveOnceOnlyClaimToFewerCalls() {
        NaiveClaim claim = new NaiveClaim();

        HammerReport<Boolean> report = Hammer.create().times(16).rounds(20).shrinking(20)
                .beforeEachRound(claim::reset)
                .fire(claim::claim)
                .check(Invariant.exactly(1, "claimed", Boolean::booleanValue));

        assertThat(report.failed()).as(report.toString()).isTrue();
        Shrink shrink = report.shrink().orElseThrow();
        assertThat(shrink.smallestFailing()).as(report.toString()).isBetween(2, 15);
        assertThat(shrink.probes()).as("the smallest size was seen failing")
                .contains(new Shrink.Probe(shrink.smallestFailing(), findFailingRounds(shrink), true));
        assertThat(shrink.probes()).as("a single claim never claims twice").noneMatch(
                probe -> probe.times() == 1 && probe.failed());
        assertThat(report.verdict()).endsWith("; smallest failing N: " + shrink.smallestFailing());
    }

    @Test
    void shouldFailTheRoundOfACallThatThrowsAndKeepWhatItThrew() {
        assertThatThrownBy(() -> Hammer.create().times(3).rounds(5).fire(worker -> {
            if (worker == 1) {
                throw new IllegalStateException("sold out");
            }
            return worker;
        }).expect())
                .isInstanceOf(HammerFailure.class)
                .hasMessageStartingWith("round 1 of 5 failed: call 1 threw IllegalStateException: sold out;"
                        + " median release skew ")
                .hasMessageContaining("; smallest failing N: 2" + System.lineSeparator())
                .cause().isInstanceOf(IllegalStateException.class).hasMessage("sold out");
    }

    @Test
    void shouldGiveUpOnAHungCallAndStopTheRun() {
        CountDownLatch never = new CountDownLatch(1);

        HammerReport<Boolean> report = Hammer.create().times(2).rounds(5).callTimeout(Duration.ofMillis(200))
                .fire(worker -> worker == 0 || never.await(WAIT_SECONDS, TimeUnit.SECONDS))
                .check();

        assertThat(report.rounds()).hasSize(1);
        assertThat(report.shrink()).isEmpty();
        assertThat(report.verdict()).startsWith(
                "round 1 of 5 failed: 1 call still running after 200 ms (deadlock, or a call timeout too short);");
        CallResult<Boolean> hung = report.rounds().get(0).round().calls().get(1);
        assertThat(hung.stillRunning()).isTrue();
        assertThat(hung.failure()).isPresent();
    }

    @Test
    void shouldGiveEachWorkerItsIndexAndKeepEveryCallsResult() {
        HammerReport<Integer> report = Hammer.create().times(5).rounds(3)
                .fire(worker -> worker * 10)
                .expect(Invariant.that("worker i returns 10 i",
                        round -> assertThat(round.values()).containsExactly(0, 10, 20, 30, 40)));

        for (CheckedRound<Integer> checked : report.rounds()) {
            assertThat(checked.round().calls()).extracting(CallResult::worker).containsExactly(0, 1, 2, 3, 4);
            assertThat(checked.round().calls()).allSatisfy(call -> {
                assertThat(call.returned()).isTrue();
                assertThat(call.failure()).isEmpty();
                assertThat(call.duration().isNegative()).isFalse();
            });
        }
    }

    @Test
    void shouldCheckAListOfInvariantsNamedOnceAndShared() {
        List<Invariant<Integer>> oneZeroAndAllDistinct = List.of(Invariant.exactly(1, "zero", value -> value == 0),
                Invariant.unique(value -> value));
        List<Invariant<Object>> oneEvenAmongThree =
                List.of(Invariant.exactly(1, "even", value -> (int) value % 2 == 0));
        Hammering<Integer> threeCalls = Hammer.create().times(3).rounds(2).fire(worker -> worker);

        HammerReport<Integer> clean = threeCalls.expect(oneZeroAndAllDistinct);

        assertThat(clean.rounds()).hasSize(2);
        assertThat(clean.toString()).contains("checked: no call hangs; no call throws; exactly 1 zero; unique value;");
        assertThat(threeCalls.check(oneEvenAmongThree).failed()).isTrue();
        assertThatThrownBy(() -> threeCalls.expect(oneEvenAmongThree)).isInstanceOf(HammerFailure.class)
                .hasMessageStartingWith("round 1 of 2 failed: double spend: 2 even (expected exactly 1);");
        assertThatThrownBy(() -> threeCalls.expect((List<Invariant<Object>>) null))
                .isInstanceOf(NullPointerException.class).hasMessage("invariants");
        assertThatThrownBy(() -> threeCalls.check(Arrays.asList(Invariant.unique(value -> value), null)))
                .isInstanceOf(NullPointerException.class).hasMessage("invariant");
    }

    @Test
    void shouldStopWithAHammerExceptionWhenTheResetOrAStateReadThrows() {
        assertThatThrownBy(() -> Hammer.create().times(2).beforeEachRound(() -> {
            throw new IllegalStateException("database down");
        }).fire(() -> 1).check())
                .isInstanceOf(HammerException.class)
                .hasMessage("the reset before round 1 threw")
                .hasRootCauseMessage("database down");
        assertThatThrownBy(() -> Hammer.create().times(2).fire(() -> 1).check(Invariant.conserved("total", () -> {
            throw new IllegalStateException("database down");
        })))
                .isInstanceOf(HammerException.class)
                .hasMessage("invariant 'total conserved' could not read the state before round 1")
                .hasRootCauseMessage("database down");
    }

    @Test
    void shouldWarnOfCpuBoundCallsOnMorePlatformThreadsThanCores() {
        int times = Runtime.getRuntime().availableProcessors() + 1;
        InProcessVolley<Integer> platform = new InProcessVolley<>(worker -> worker,
                WorkerThreads.choose(ThreadChoice.PLATFORM), Duration.ofSeconds(1));

        assertThat(platform.warnings(List.of(roundUsingCpu(times, 1.0)))).singleElement().asString()
                .startsWith(times + " calls on platform threads but " + (times - 1)
                        + " cores, and the calls are CPU-bound");
        assertThat(platform.warnings(List.of(roundUsingCpu(times, 0.9)))).as("cores nearly saturated").hasSize(1);
        assertThat(platform.warnings(List.of(roundUsingCpu(times, 0.01)))).as("calls that wait").isEmpty();
        assertThat(platform.warnings(List.of(roundUsingCpu(times, 0.39))))
                .as("calls that wait on locks part of the time").isEmpty();
        assertThat(platform.warnings(List.of(roundUsingCpu(times - 1, 1.0)))).as("one core per call").isEmpty();
    }

    @Test
    void shouldMeasureCpuTimeOnPlatformThreads() {
        HammerReport<Integer> report = Hammer.create().onPlatformThreads().times(2).rounds(1).fire(worker -> worker)
                .expect();

        assertThat(report.rounds().get(0).round().calls())
                .allSatisfy(call -> assertThat(call.cpuNanos()).isNotNegative());
    }

    @Test
    void shouldRefuseBadOptionsAtTheLineThatSetsThem() {
        Hammer hammer = Hammer.create();

        assertThatThrownBy(() -> hammer.times(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("times must be between 1 and 10000, was 0");
        assertThatThrownBy(() -> hammer.times(10_001)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> hammer.rounds(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("rounds must be between 1 and 1000000, was 0");
        assertThatThrownBy(() -> hammer.within(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("timeBudget must be positive");
        assertThatThrownBy(() -> hammer.callTimeout(null)).isInstanceOf(NullPointerException.class)
                .hasMessage("callTimeout");
        assertThatThrownBy(() -> hammer.shrinking(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("roundsPerSize must be >= 1, was 0");
        assertThatThrownBy(() -> hammer.beforeEachRound(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> hammer.reportingTo(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> hammer.fire((Call<Object>) null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> hammer.fire(() -> 1).check((Invariant<Object>) null))
                .isInstanceOf(NullPointerException.class);
        assertThat(hammer.times(7)).as("options return copies").isNotSameAs(hammer);
    }

    private static Round<Integer> roundUsingCpu(int times, double share) {
        List<CallResult<Integer>> calls = new ArrayList<>();
        long duration = 1_000_000;
        int cores = Runtime.getRuntime().availableProcessors();
        // times calls queued on the cores: the round spans times / cores call durations
        long span = duration * times / cores;
        long cpuPerCall = (long) (share * span * cores / times);
        for (int worker = 0; worker < times; worker++) {
            calls.add(CallResult.returned(worker, worker, 0, span, cpuPerCall));
        }
        return Round.measured(1, calls);
    }

    private static int findFailingRounds(Shrink shrink) {
        return shrink.probes().stream().filter(probe -> probe.times() == shrink.smallestFailing() && probe.failed())
                .findFirst().map(Shrink.Probe::rounds).orElse(-1);
    }

    private static long spread(Round<?> round) {
        long first = round.calls().stream().mapToLong(CallResult::releasedAtNanos).min().orElseThrow();
        long last = round.calls().stream().mapToLong(CallResult::releasedAtNanos).max().orElseThrow();
        return last - first;
    }

    private static void awaitThenSleep(CountDownLatch latch, Duration sleep) {
        try {
            if (!latch.await(WAIT_SECONDS, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the other workers did not return");
            }
            Thread.sleep(sleep.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
