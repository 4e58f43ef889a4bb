package io.raceguard.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedSuccessfully;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.EventConditions.test;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.instanceOf;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.message;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestReporter;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.platform.engine.reporting.ReportEntry;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Events;

/** The extension as users meet it: sample test classes run through the JUnit engine. */
final class HammerExtensionTest {

    private static final String VERDICT = "round \\d+ of 30 failed: double spend: \\d+ redeemed"
            + " \\(expected exactly 1\\);"
            + " median release skew \\d+(\\.\\d)? (us|ms); smallest failing N: \\d+";

    @Test
    void shouldFailANaiveTestWithTheOneLineVerdictFirst() {
        Events tests = run(NaiveCouponSample.class);

        tests.assertStatistics(stats -> stats.started(1).failed(1));
        tests.assertThatEvents().haveExactly(1, event(test("redeemOnce"), finishedWithFailure(
                instanceOf(HammerFailure.class),
                message(text -> text.lines().findFirst().orElseThrow().matches(VERDICT)))));
    }

    @Test
    void shouldReportTheVerdictSummaryAndRoundsToTheTest() {
        Events tests = run(GuardedCouponSample.class);

        tests.assertStatistics(stats -> stats.started(1).succeeded(1));
        List<Map<String, String>> entries = tests.reportingEntryPublished().stream()
                .map(event -> event.getRequiredPayload(ReportEntry.class).getKeyValuePairs())
                .toList();
        assertThat(entries).extracting(Map::keySet).extracting(keys -> keys.iterator().next())
                .containsExactly("hammer", "hammer.summary", "hammer.rounds");
        assertThat(entries.get(0).get("hammer"))
                .matches("40/40 rounds clean, 8 calls each; median release skew \\d+(\\.\\d)? (us|ms)");
        assertThat(entries.get(1).get("hammer.summary"))
                .contains("calls: 8 calls on ", "up to 40 rounds within 20 s")
                .contains("checked: no call hangs; no call throws; exactly 1 redeemed;"
                        + " no lost update among Observed results");
        assertThat(entries.get(2).get("hammer.rounds").lines()).hasSize(41);
    }

    @Test
    void shouldResolveAHammerWithTheDefaultsUnderExtendWith() {
        Events tests = run(DefaultsSample.class);

        tests.assertThatEvents().haveExactly(1, event(test("defaults"), finishedSuccessfully()));
    }

    @Test
    void shouldResolveOnlyHammerParameters() {
        HammerExtension extension = HammerExtension.create();

        assertThat(extension.hammer()).isNotNull();
        Events tests = run(UnknownParameterSample.class);
        tests.assertThatEvents().haveExactly(1, event(test("wantsAString"),
                finishedWithFailure(instanceOf(ParameterResolutionException.class))));
    }

    @Test
    void shouldRefuseBadOptionsAtOnce() {
        HammerExtension extension = HammerExtension.create();

        assertThatThrownBy(() -> extension.withTimes(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("times must be between 1 and 10000, was 0");
        assertThatThrownBy(() -> extension.withRounds(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> extension.withTimeBudget(Duration.ofDays(400)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> extension.withCallTimeout(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> extension.withShrinking(0)).isInstanceOf(IllegalArgumentException.class);
        if (Runtime.version().feature() < 21) {
            assertThatThrownBy(extension::withVirtualThreads).isInstanceOf(IllegalStateException.class)
                    .hasMessageStartingWith("virtual threads need Java 21 or later");
        } else {
            assertThat(extension.withVirtualThreads()).isNotSameAs(extension);
        }
    }

    private static Events run(Class<?> sample) {
        return EngineTestKit.engine("junit-jupiter").selectors(selectClass(sample)).execute().testEvents();
    }

    /** Redeems once-only by check-then-act: the hammer must catch it. */
    static final class NaiveCouponSample {
        @RegisterExtension
        static final HammerExtension HAMMER = HammerExtension.create().withTimes(10).withRounds(30).withShrinking(5);

        @Test
        void redeemOnce(Hammer hammer) {
            NaiveClaim coupon = new NaiveClaim();
            hammer.beforeEachRound(coupon::reset)
                    .fire(coupon::claim)
                    .expect(Invariant.exactly(1, "redeemed", Boolean::booleanValue));
        }
    }

    /** Redeems once-only by compare-and-set: the hammer must find it clean, and report. */
    static final class GuardedCouponSample {
        @RegisterExtension
        static final HammerExtension HAMMER = HammerExtension.create().withTimes(8).withRounds(40)
                .withTimeBudget(Duration.ofSeconds(20)).withPlatformThreads();

        @Test
        void redeemOnce(Hammer hammer, TestReporter reporter) {
            AtomicBoolean redeemed = new AtomicBoolean();
            hammer.beforeEachRound(() -> redeemed.set(false))
                    .fire(() -> redeemed.compareAndSet(false, true))
                    .expect(Invariant.exactly(1, "redeemed", Boolean::booleanValue));
            assertThat(reporter).isNotNull();
        }
    }

    @ExtendWith(HammerExtension.class)
    static final class DefaultsSample {
        @Test
        void defaults(Hammer hammer) {
            HammerReport<Integer> report = hammer.fire(worker -> worker).expect(Invariant.unique(worker -> worker));
            assertThat(report.rounds()).hasSize(50);
            assertThat(report.rounds().get(0).round().times()).isEqualTo(20);
        }
    }

    @ExtendWith(HammerExtension.class)
    static final class UnknownParameterSample {
        @Test
        void wantsAString(String text) {
            assertThat(text).isNotNull();
        }
    }
}
