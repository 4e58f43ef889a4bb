package io.raceguard.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.raceguard.Outcome;
import io.raceguard.guard.Counters;
import io.raceguard.guard.InMemoryCounters;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The race the counters exist for is real: a read, a pause, a write oversells; one atomic step does not. */
final class CheckThenActRaceTest {

    private static final int THREADS = 20;
    private static final long STOCK = 5;

    @Test
    void shouldOversellWithANaiveReadThenWriteCounter() throws InterruptedException {
        NaiveStock stock = new NaiveStock(STOCK);

        List<Boolean> sold = StartingGate.runTogether(THREADS, stock::takeOne);

        assertThat(sold.stream().filter(Boolean::booleanValue).count())
                .as("items sold from a stock of " + STOCK)
                .isGreaterThan(STOCK);
    }

    @Test
    void shouldSellExactlyTheStockWithInMemoryCounters() throws InterruptedException {
        Counters counters = InMemoryCounters.create();
        counters.set("stock", STOCK);

        List<Outcome<Long>> sold = StartingGate.runTogether(THREADS, () -> counters.take("stock", 1));

        assertThat(sold.stream().filter(Outcome::isApplied).count()).isEqualTo(STOCK);
        assertThat(counters.get("stock")).hasValue(0);
    }

    /** Check-then-act as it is usually written: read the level, decide, write it back. */
    private static final class NaiveStock {
        private volatile long level;

        NaiveStock(long level) {
            this.level = level;
        }

        boolean takeOne() throws InterruptedException {
            long seen = level;
            if (seen < 1) {
                return false;
            }
            // The work between the check and the write (a query, a call): here, a short pause.
            Thread.sleep(10);
            level = seen - 1;
            return true;
        }
    }
}
