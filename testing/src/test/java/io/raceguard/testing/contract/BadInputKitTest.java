package io.raceguard.testing.contract;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectMethod;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.EventConditions.test;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.message;

import io.raceguard.Outcome;
import io.raceguard.Rejection;
import io.raceguard.counter.Counters;
import io.raceguard.counter.InMemoryCounters;
import io.raceguard.internal.Inputs;
import io.raceguard.testing.contract.CountersContract;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Events;

/**
 * The kits' bad-input properties catch the two ways a store goes wrong on bad input: arithmetic that
 * wraps at {@code Long.MAX_VALUE}, and keys "cleaned up" (a NUL dropped, an unpaired surrogate turned
 * into {@code '?'}) instead of rejected. Each failure names the seed that replays it.
 */
final class BadInputKitTest {

    @Test
    void shouldFailTheArithmeticPropertyOfABackendWhoseAddWraps() {
        Events tests = run(WrappingCountersSample.class, "shouldMatchExactArithmeticForGeneratedAmounts");

        tests.assertStatistics(stats -> stats.started(1).failed(1));
        tests.assertThatEvents().haveExactly(1, event(test("shouldMatchExactArithmeticForGeneratedAmounts"),
                finishedWithFailure(message(text -> text.startsWith("seed ")
                        && text.contains(GeneratedInputs.SEED_PROPERTY)))));
    }

    @Test
    void shouldFailTheKeyPropertyOfABackendThatCleansKeysInsteadOfRejectingThem() {
        Events tests = run(CleaningCountersSample.class, "shouldRejectOrRoundTripEveryGeneratedKey");

        tests.assertStatistics(stats -> stats.started(1).failed(1));
        tests.assertThatEvents().haveExactly(1, event(test("shouldRejectOrRoundTripEveryGeneratedKey"),
                finishedWithFailure(message(text -> text.contains("seed ")
                        && text.contains("Expected java.lang.IllegalArgumentException")))));
    }

    @Test
    void shouldPassBothPropertiesOnTheInMemoryBackend() {
        Events tests = EngineTestKit.engine("junit-jupiter")
                .selectors(selectMethod(InMemoryCountersTest.class, "shouldMatchExactArithmeticForGeneratedAmounts"),
                        selectMethod(InMemoryCountersTest.class, "shouldRejectOrRoundTripEveryGeneratedKey"))
                .execute()
                .testEvents();

        tests.assertStatistics(stats -> stats.started(2).succeeded(2));
    }

    private static Events run(Class<?> sample, String method) {
        return EngineTestKit.engine("junit-jupiter").selectors(selectMethod(sample, method)).execute().testEvents();
    }

    /** Runs the counters kit on a backend whose add wraps; only through the engine test kit above. */
    static final class WrappingCountersSample extends CountersContract {
        @Override
        protected Counters counters() {
            return new WrappingCounters();
        }
    }

    /** Runs the counters kit on a backend that cleans bad keys; only through the engine test kit above. */
    static final class CleaningCountersSample extends CountersContract {
        @Override
        protected Counters counters() {
            return new CleaningCounters();
        }
    }

    /** Checks {@code level + amount > ceiling} in plain long arithmetic: past the maximum the sum wraps negative. */
    private static final class WrappingCounters implements Counters {
        private final Map<String, Long> levels = new HashMap<>();

        @Override
        public synchronized Outcome<Long> take(String key, long amount) {
            Inputs.requirePositive(amount, "amount");
            Long level = levels.get(Inputs.requireKey(key, "key"));
            if (level == null) {
                return Outcome.rejected(Rejection.NOT_FOUND, "");
            }
            if (level < amount) {
                return Outcome.rejected(Rejection.CONDITION_FAILED, "");
            }
            levels.put(key, level - amount);
            return Outcome.applied(level - amount);
        }

        @Override
        public synchronized Outcome<Long> add(String key, long amount, long ceiling) {
            Inputs.requirePositive(amount, "amount");
            Inputs.requireNonNegative(ceiling, "ceiling");
            long level = levels.getOrDefault(Inputs.requireKey(key, "key"), 0L);
            if (level + amount > ceiling) {
                return Outcome.rejected(Rejection.CONDITION_FAILED, "");
            }
            levels.put(key, level + amount);
            return Outcome.applied(level + amount);
        }

        @Override
        public synchronized void set(String key, long level) {
            levels.put(Inputs.requireKey(key, "key"), Inputs.requireNonNegative(level, "level"));
        }

        @Override
        public synchronized OptionalLong get(String key) {
            Long level = levels.get(Inputs.requireKey(key, "key"));
            return level == null ? OptionalLong.empty() : OptionalLong.of(level);
        }

        @Override
        public synchronized boolean delete(String key) {
            return levels.remove(Inputs.requireKey(key, "key")) != null;
        }
    }

    /** Drops NUL characters and lets UTF-8 turn unpaired surrogates into {@code '?'}, as a lax driver would. */
    private static final class CleaningCounters implements Counters {
        private final Counters levels = InMemoryCounters.create();

        private static String cleaned(String key) {
            return key == null ? null : new String(key.getBytes(UTF_8), UTF_8).replace("\0", "");
        }

        @Override
        public Outcome<Long> take(String key, long amount) {
            return levels.take(cleaned(key), amount);
        }

        @Override
        public Outcome<Long> add(String key, long amount, long ceiling) {
            return levels.add(cleaned(key), amount, ceiling);
        }

        @Override
        public void set(String key, long level) {
            levels.set(cleaned(key), level);
        }

        @Override
        public OptionalLong get(String key) {
            return levels.get(cleaned(key));
        }

        @Override
        public boolean delete(String key) {
            return levels.delete(cleaned(key));
        }
    }
}
