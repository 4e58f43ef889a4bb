package io.raceguard.testing.contract;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectMethod;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.EventConditions.test;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.instanceOf;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.message;

import io.raceguard.Outcome;
import io.raceguard.Rejection;
import io.raceguard.counter.Counters;
import io.raceguard.counter.InMemoryCounters;
import io.raceguard.testing.HammerFailure;
import io.raceguard.testing.contract.CountersContract;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Events;

/**
 * The contract kits' races, now run on the hammer, still catch a backend that checks and then acts:
 * a counters backend that reads, pauses and writes fails each concurrent rule of {@link CountersContract}
 * with the hammer's verdict.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
final class ContractKitRaceTest {

    @Test
    void shouldFailEachConcurrentCounterRuleOfACheckThenActBackend() {
        Events tests = EngineTestKit.engine("junit-jupiter")
                .selectors(selectMethod(NaiveCountersSample.class,
                                "shouldTakeExactlyTheLevelUnderConcurrentTakes", "org.junit.jupiter.api.TestReporter"),
                        selectMethod(NaiveCountersSample.class,
                                "shouldClaimExactlyOnceUnderConcurrentClaims", "org.junit.jupiter.api.TestReporter"),
                        selectMethod(NaiveCountersSample.class,
                                "shouldAddExactlyUpToTheCeilingUnderConcurrentAdds",
                                        "org.junit.jupiter.api.TestReporter"))
                .execute()
                .testEvents();

        tests.assertStatistics(stats -> stats.started(3).failed(3));
        tests.assertThatEvents()
                .haveExactly(1, event(test("shouldTakeExactlyTheLevelUnderConcurrentTakes"), finishedWithFailure(
                        instanceOf(HammerFailure.class), message(text -> text.matches(
                                "(?s)round [1-5] of 5 failed: limit overrun: .*")
                                        && text.contains(" taken (expected exactly 5)")))))
                .haveExactly(1, event(test("shouldClaimExactlyOnceUnderConcurrentClaims"), finishedWithFailure(
                        instanceOf(HammerFailure.class), message(text -> text.matches(
                                "(?s)round [1-5] of 5 failed: double spend: .*")
                                        && text.contains(" claimed (expected exactly 1)")))))
                .haveExactly(1, event(test("shouldAddExactlyUpToTheCeilingUnderConcurrentAdds"), finishedWithFailure(
                        instanceOf(HammerFailure.class), message(text -> text.matches(
                                "(?s)round [1-5] of 5 failed: limit overrun: .*")
                                        && text.contains(" added (expected exactly 5)")))));
    }

    /** Runs the counters kit on the naive backend; only through the engine test kit above. */
    static final class NaiveCountersSample extends CountersContract {
        @Override
        protected Counters counters() {
            return new CheckThenActCounters();
        }
    }

    /** Reads the level, pauses as a store round trip would, then writes the new level. */
    private static final class CheckThenActCounters implements Counters {
        private final Counters levels = InMemoryCounters.create();

        @Override
        public Outcome<Long> take(String key, long amount) {
            OptionalLong level = levels.get(key);
            if (level.isEmpty()) {
                return new Outcome.Rejected<>(Rejection.NOT_FOUND, "");
            }
            if (level.getAsLong() < amount) {
                return new Outcome.Rejected<>(Rejection.CONDITION_FAILED, "");
            }
            return write(key, level.getAsLong() - amount);
        }

        @Override
        public Outcome<Long> add(String key, long amount, long ceiling) {
            long level = levels.get(key).orElse(0);
            if (level + amount > ceiling) {
                return new Outcome.Rejected<>(Rejection.CONDITION_FAILED, "");
            }
            return write(key, level + amount);
        }

        private Outcome<Long> write(String key, long level) {
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            levels.set(key, level);
            return new Outcome.Applied<>(level);
        }

        @Override
        public void set(String key, long level) {
            levels.set(key, level);
        }

        @Override
        public OptionalLong get(String key) {
            return levels.get(key);
        }

        @Override
        public boolean delete(String key) {
            return levels.delete(key);
        }
    }
}
