package io.raceguard.testing.contract;

import static org.assertj.core.api.Assertions.assertThat;

import io.raceguard.idempotency.Idempotency;
import io.raceguard.idempotency.IdempotencyCodec;
import io.raceguard.idempotency.IdempotencyKey;
import io.raceguard.idempotency.IdempotentResult.Executed;
import io.raceguard.idempotency.IdempotentResult.InProgress;
import io.raceguard.idempotency.IdempotentResult;
import io.raceguard.idempotency.InMemoryIdempotencyStore;
import io.raceguard.testing.Hammer;
import io.raceguard.testing.HammerReport;
import io.raceguard.testing.Invariant;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * The race is real: "have we seen this key? if not, run and record" runs the work several times when
 * retries arrive together, while {@link Idempotency} runs it once.
 */
final class NaiveIdempotencyRaceTest {

    private static final int CALLERS = 20;
    /** One round: the held-open work counts the callers of a single round. */
    private static final Hammer ONE_ROUND = Hammer.create().times(CALLERS).rounds(1).withoutShrinking();

    @Test
    void shouldRunTheWorkMoreThanOnceWithANaiveCheckThenRecord() {
        CheckThenRecordIdempotency naive = new CheckThenRecordIdempotency();
        HeldOpenWork work = new HeldOpenWork(CALLERS);

        HammerReport<String> report = ONE_ROUND
                .fire(() -> work.callerReturns(() -> naive.execute("order-42", work::run)))
                .check(Invariant.that("the work ran once", round -> assertThat(work.runs()).isEqualTo(1)));

        assertThat(report.failed()).isTrue();
        assertThat(work.runs()).as("every caller that looked before the first one recorded ran the work")
                .isGreaterThan(1);
    }

    @Test
    void shouldRunTheWorkOnceWithIdempotency() {
        Idempotency idempotency = Idempotency.builder(InMemoryIdempotencyStore.create()).build();
        IdempotencyKey key = IdempotencyKey.of("user:7:POST /orders", "order-42");
        byte[] request = "one book".getBytes(StandardCharsets.UTF_8);
        HeldOpenWork work = new HeldOpenWork(CALLERS);

        ONE_ROUND.fire(() -> work.callerReturns(() -> idempotency.execute(key, request, IdempotencyCodec.utf8(),
                work::run)))
                .expect(Invariant.that("the work ran once", round -> assertThat(work.runs()).isEqualTo(1)),
                        Invariant.that("one caller executed it, the others were told to retry", round -> {
                            List<IdempotentResult<String>> results = round.values();
                            assertThat(results).filteredOn(Executed.class::isInstance)
                                    .containsExactly(new Executed<>("receipt 1"));
                            assertThat(results).filteredOn(InProgress.class::isInstance).hasSize(CALLERS - 1);
                        }));
    }

    /** The usual hand-rolled idempotency: look the key up, and if it is new, run the work and record it. */
    private static final class CheckThenRecordIdempotency {
        private final Map<String, String> recorded = new ConcurrentHashMap<>();

        String execute(String key, Supplier<String> work) {
            String previous = recorded.get(key);
            if (previous != null) {
                return previous;
            }
            String result = work.get();
            recorded.put(key, result);
            return result;
        }
    }

    /**
     * Work that stays running until a second run starts or every other caller has returned, so the
     * race shows on every run instead of by luck: a guard that works lets the others return at once;
     * one that does not lets a second caller into the work.
     */
    private static final class HeldOpenWork {
        private static final long HOLD_SECONDS = 30;

        private final int callers;
        private final AtomicInteger runs = new AtomicInteger();
        private final AtomicInteger returned = new AtomicInteger();

        HeldOpenWork(int callers) {
            this.callers = callers;
        }

        String run() {
            int run = runs.incrementAndGet();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(HOLD_SECONDS);
            while (runs.get() < 2 && returned.get() < callers - 1) {
                if (System.nanoTime() - deadline > 0) {
                    throw new AssertionError("neither a second run nor the other callers came within " + HOLD_SECONDS
                            + " s");
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
            }
            return "receipt " + run;
        }

        <T> T callerReturns(Callable<T> caller) throws Exception {
            try {
                return caller.call();
            } finally {
                returned.incrementAndGet();
            }
        }

        int runs() {
            return runs.get();
        }
    }
}
