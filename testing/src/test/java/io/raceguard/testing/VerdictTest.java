package io.raceguard.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.raceguard.Outcome;
import io.raceguard.Rejection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The report's words, checked exactly against rounds whose results and skews are scripted. */
final class VerdictTest {

    private static final Outcome<Long> APPLIED = new Outcome.Applied<>(1L);
    private static final Outcome<Long> REJECTED = new Outcome.Rejected<>(Rejection.CONDITION_FAILED, "");

    /** Every round with at least 2 calls applies twice; a single call applies once. */
    private static final ScriptedVolley.Script<Outcome<Long>> TWO_APPLY =
            (round, times, worker) -> worker < 2 ? APPLIED : REJECTED;

    @Test
    void shouldStateTheFirstFailingRoundTheViolationTheSkewAndTheSmallestFailingN() {
        ScriptedVolley.Script<Outcome<Long>> failsInRoundThree =
                (round, times, worker) -> worker < (round == 3 || times < 20 ? 2 : 1) ? APPLIED : REJECTED;

        HammerReport<Outcome<Long>> report = run(HammerSettings.DEFAULTS, new ScriptedVolley<>(failsInRoundThree, 41));

        assertThat(report.verdict()).isEqualTo("round 3 of 50 failed: double spend: 2 applied (expected exactly 1);"
                + " median release skew 41 us; smallest failing N: 2");
        assertThat(report.rounds()).hasSize(3);
        assertThat(report.shrink().orElseThrow().probes()).extracting(Shrink.Probe::times)
                .containsExactly(10, 5, 3, 2, 1);
        assertThat(report.shrink().orElseThrow().probes()).extracting(Shrink.Probe::failed)
                .containsExactly(true, true, true, true, false);
    }

    @Test
    void shouldStateTheHitRateWhenKeepingGoing() {
        ScriptedVolley.Script<Outcome<Long>> failsEveryTenthRound =
                (round, times, worker) -> worker < (round % 10 == 0 ? 2 : 1) ? APPLIED : REJECTED;

        HammerReport<Outcome<Long>> report = run(HammerSettings.DEFAULTS.withKeepGoing(true).withoutShrinking(),
                new ScriptedVolley<>(failsEveryTenthRound, 41));

        assertThat(report.verdict())
                .isEqualTo("5/50 rounds failed: double spend: 2 applied (expected exactly 1); median release skew 41"
                        + " us");
        assertThat(report.failedRounds()).extracting(checked -> checked.round().number())
                .containsExactly(10, 20, 30, 40, 50);
    }

    @Test
    void shouldStateACleanRun() {
        ScriptedVolley.Script<Outcome<Long>> appliesOnce = (round, times, worker) -> worker == 0 ? APPLIED : REJECTED;

        HammerReport<Outcome<Long>> report = run(HammerSettings.DEFAULTS, new ScriptedVolley<>(appliesOnce, 1_500));

        assertThat(report.failed()).isFalse();
        assertThat(report.verdict()).isEqualTo("50/50 rounds clean, 20 calls each; median release skew 1.5 ms");
        assertThat(report.shrink()).isEmpty();
        assertThat(report.smallestFailingTimes()).isEmpty();
    }

    @Test
    void shouldShrinkTowardTheCheckBehindTheVerdictNotOneThatDependsOnTheNumberOfCalls() {
        Invariant<Outcome<Long>> allButOneRejected = Invariant.that("all but one rejected",
                round -> assertThat(round.count(outcome -> !outcome.isApplied())).isEqualTo(19));

        HammerReport<Outcome<Long>> report = new RoundRunner<>(HammerSettings.DEFAULTS.withShrinking(3),
                new ScriptedVolley<>(TWO_APPLY, 41),
                List.of(Invariant.<Outcome<Long>>exactly(1, "applied", Outcome::isApplied), allButOneRejected))
                .run();

        assertThat(report.shrink().orElseThrow().smallestFailing()).as("1 call breaks only the second invariant")
                .isEqualTo(2);
        assertThat(report.shrink().orElseThrow().probes()).last().isEqualTo(new Shrink.Probe(1, 3, false));
    }

    @Test
    void shouldSayWhenTheCodeFailsWithoutConcurrency() {
        ScriptedVolley.Script<Outcome<Long>> neverApplies = (round, times, worker) -> REJECTED;

        HammerReport<Outcome<Long>> report = run(HammerSettings.DEFAULTS, new ScriptedVolley<>(neverApplies, 41));

        assertThat(report.verdict()).isEqualTo("round 1 of 50 failed: 0 applied (expected exactly 1);"
                + " median release skew 41 us; smallest failing N: 1 (fails without concurrency)");
    }

    @Test
    void shouldCountFurtherViolationsOfTheFirstFailingRound() {
        HammerReport<Outcome<Long>> report = new RoundRunner<>(HammerSettings.DEFAULTS.withoutShrinking(),
                new ScriptedVolley<>(TWO_APPLY, 41), List.of(
                        Invariant.<Outcome<Long>>exactly(1, "applied", Outcome::isApplied),
                        Invariant.<Outcome<Long>>atMost(17, "rejected", outcome -> !outcome.isApplied())))
                .run();

        assertThat(report.verdict()).isEqualTo(
                "round 1 of 50 failed: double spend: 2 applied (expected exactly 1) (+1 more); median release skew 41"
                        + " us");
    }

    @Test
    void shouldLeadWithTheBrokenInvariantAndListTheLostUpdateOfObservedResultsAfterIt() {
        ScriptedVolley.Script<Observed<Long>> twoSpendTheSameBalance = (round, times, worker) -> worker < 2
                ? Observed.readWrote(100L, 70L)
                : Observed.readOnly(70L);

        HammerReport<Observed<Long>> report = new RoundRunner<>(HammerSettings.DEFAULTS.withoutShrinking(),
                new ScriptedVolley<>(twoSpendTheSameBalance, 41),
                List.of(Invariant.<Observed<Long>>atMost(1, "spent", Observed::hasWritten))).run();

        assertThat(report.failedRounds().get(0).violations()).extracting(Violation::toString).containsExactly(
                "double spend: 2 spent (expected at most 1)", "lost update: 2 calls read 100 and each wrote 70");
        assertThat(report.verdict()).isEqualTo("round 1 of 50 failed: double spend: 2 spent (expected at most 1)"
                + " (+1 more); median release skew 41 us");
        assertThat(ReportText.summary(report)).contains(
                "checked: no call hangs; no call throws; at most 1 spent; no lost update among Observed results");
    }

    @Test
    void shouldStopAtTheTimeBudgetAndSaySo() {
        ScriptedVolley.Script<String> slow = (round, times, worker) -> {
            pause(Duration.ofMillis(5));
            return "ok";
        };

        HammerReport<String> report = new RoundRunner<>(HammerSettings.DEFAULTS.withTimes(1)
                .withTimeBudget(Duration.ofMillis(1)), new ScriptedVolley<>(slow, 0), List.of()).run();

        assertThat(report.rounds()).hasSize(1);
        assertThat(report.verdict()).isEqualTo("1/50 rounds clean, 1 call each (time budget of 1 ms reached);"
                + " median release skew 0 us");
    }

    @Test
    void shouldRunTheResetBeforeEveryRoundShrinkingIncluded() {
        List<String> events = new ArrayList<>();
        ScriptedVolley<Outcome<Long>> volley = new ScriptedVolley<>((round, times, worker) -> {
            if (worker == 0) {
                events.add("round " + round + " of " + times);
            }
            return TWO_APPLY.value(round, times, worker);
        }, 41);

        new RoundRunner<>(HammerSettings.DEFAULTS.withShrinking(2).withBeforeEachRound(() -> events.add("reset")),
                volley, List.of(Invariant.<Outcome<Long>>exactly(1, "applied", Outcome::isApplied))).run();

        assertThat(events).containsExactly("reset", "round 1 of 20", "reset", "round 1 of 10", "reset", "round 1 of 5",
                "reset", "round 1 of 3", "reset", "round 1 of 2", "reset", "round 1 of 1", "reset", "round 2 of 1");
    }

    @Test
    void shouldPublishTheVerdictSummaryAndTableToTheReporter() {
        Map<String, String> published = new LinkedHashMap<>();

        run(HammerSettings.DEFAULTS.withRounds(2).withReporter(published::putAll), new ScriptedVolley<>(
                (round, times, worker) -> worker == 0 ? APPLIED : REJECTED, 41));

        assertThat(published).containsOnlyKeys("hammer", "hammer.summary", "hammer.rounds");
        assertThat(published.get("hammer")).isEqualTo("2/2 rounds clean, 20 calls each; median release skew 41 us");
        assertThat(published.get("hammer.summary")).contains(
                "calls: 20 scripted calls, up to 2 rounds within 1 min, stopping at the first failure (all ran)",
                "checked: no call hangs; no call throws; exactly 1 applied; no lost update among Observed results",
                "release skew over 2 rounds: p50 41 us, p90 41 us, p99 41 us, max 41 us (histogram: 10-100 us: 2)");
        assertThat(published.get("hammer.rounds").lines()).containsExactly(
                "round calls release skew  results",
                "    1    20        41 us  applied: 1, rejected CONDITION_FAILED: 19",
                "    2    20        41 us  applied: 1, rejected CONDITION_FAILED: 19");
    }

    private static HammerReport<Outcome<Long>> run(HammerSettings settings, ScriptedVolley<Outcome<Long>> volley) {
        return new RoundRunner<>(settings, volley,
                List.of(Invariant.<Outcome<Long>>exactly(1, "applied", Outcome::isApplied))).run();
    }

    private static void pause(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
