package io.raceguard.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.raceguard.Outcome;
import io.raceguard.counter.Counters;
import io.raceguard.counter.InMemoryCounters;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The hammer catches the race the counters exist for, on a plain Java object: a read, a pause, a
 * write oversells within the round budget; one atomic step holds every round.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
final class CheckThenActRaceTest {

    private static final long STOCK = 5;

    private final Hammer hammer = Hammer.create().times(20).rounds(50);

    @Test
    void shouldCatchTheOversellOfANaiveReadThenWriteStock() {
        NaiveStock stock = new NaiveStock();

        HammerReport<Observed<Long>> report = hammer.beforeEachRound(() -> stock.reset(STOCK))
                .fire(stock::takeOne)
                .check(Invariant.atMost(STOCK, "sold", Observed::hasWritten));

        assertThat(report.failed()).as(report.toString()).isTrue();
        CheckedRound<Observed<Long>> failed = report.failedRounds().get(0);
        assertThat(failed.violations()).extracting(violation -> violation.anomaly().orElseThrow())
                .containsExactly(Anomaly.LIMIT_OVERRUN, Anomaly.LOST_UPDATE);
        long sold = failed.round().count(Observed::hasWritten);
        assertThat(sold).isGreaterThan(STOCK);
        assertThat(report.verdict()).startsWith("round " + failed.round().number() + " of 50 failed: limit overrun: "
                + sold + " sold (expected at most 5) (+1 more); ");
    }

    @Test
    void shouldFailTheTestWithTheVerdictThroughExpect() {
        NaiveStock stock = new NaiveStock();

        assertThatThrownBy(() -> hammer.beforeEachRound(() -> stock.reset(STOCK))
                .fire(stock::takeOne)
                .expect(Invariant.atMost(STOCK, "sold", Observed::hasWritten)))
                .isInstanceOf(HammerFailure.class)
                .hasMessageMatching("(?s)round \\d+ of 50 failed: limit overrun: \\d+ sold \\(expected at most 5\\)"
                        + " \\(\\+1 more\\); median release skew .*; smallest failing N: \\d+\\R.*")
                .satisfies(failure -> assertThat(((HammerFailure) failure).report().failed()).isTrue());
    }

    @Test
    void shouldFindInMemoryCountersSellingExactlyTheStockEveryRound() {
        Counters counters = InMemoryCounters.create();

        HammerReport<Outcome<Long>> report = hammer.beforeEachRound(() -> counters.set("stock", STOCK))
                .fire(() -> counters.take("stock", 1))
                .expect(Invariant.exactly(STOCK, "sold", Outcome::isApplied),
                        Invariant.that("each sale sees its own level", round -> assertThat(round.values().stream()
                                .filter(Outcome::isApplied).map(Outcome::value))
                                        .containsExactlyInAnyOrder(0L, 1L, 2L, 3L, 4L)),
                        Invariant.that("the stock ends at zero", round -> assertThat(counters.get("stock"))
                                .hasValue(0)));

        assertThat(report.failed()).isFalse();
        assertThat(report.rounds()).hasSize(50);
        assertThat(report.verdict()).startsWith("50/50 rounds clean, 20 calls each; median release skew ");
    }

    /** Check-then-act as it is usually written: read the level, decide, write it back. */
    private static final class NaiveStock {
        private volatile long level;

        void reset(long level) {
            this.level = level;
        }

        Observed<Long> takeOne() throws InterruptedException {
            long seen = level;
            if (seen < 1) {
                return Observed.readOnly(seen);
            }
            // The work between the check and the write (a query, a call): here, a short pause.
            Thread.sleep(10);
            level = seen - 1;
            return Observed.readWrote(seen, seen - 1);
        }
    }
}
