package io.raceguard.testing.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectMethod;

import io.raceguard.counter.Counters;
import io.raceguard.idempotency.spi.IdempotencyStore;
import io.raceguard.limit.RateLimit;
import io.raceguard.limit.RateLimiter;
import java.lang.reflect.Proxy;
import java.util.List;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.platform.engine.DiscoverySelector;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Events;

/**
 * A kit skips, and never fails, the cases of a backend whose server is missing: the backend's factory
 * throws {@code TestAbortedException}, as {@code TestServices} does when no server answers, and the
 * kit reaches the backend before any assertion or concurrent call could take that skip for a failure.
 * When services are required ({@code RACEGUARD_REQUIRE_SERVICES=true}), the factory's failure fails
 * every case instead.
 */
final class MissingServerKitTest {

    private static final String MISSING = "Example not found, test skipped: set RACEGUARD_EXAMPLE_URL";
    private static final String REQUIRED = "Example is required (RACEGUARD_REQUIRE_SERVICES=true) but was not found";

    @ParameterizedTest
    @ValueSource(classes = {MissingCountersSample.class, MissingRateLimiterSample.class,
            MissingIdempotencyStoreSample.class})
    void shouldSkipEveryCaseOfAKitWhoseServerIsMissing(Class<?> sample) {
        EngineExecutionResults results = run(selectClass(sample));

        results.testEvents().assertStatistics(stats -> stats.succeeded(0).failed(0));
        results.containerEvents().assertStatistics(stats -> stats.failed(0));
        assertThat(abortMessages(results.allEvents())).isNotEmpty().containsOnly(MISSING);
    }

    @Test
    void shouldSkipAGeneratedInputCaseWhoseBackendFindsItsServerMissingOnFirstUse() {
        EngineExecutionResults results = run(
                selectMethod(LazilyMissingCountersSample.class, "shouldMatchExactArithmeticForGeneratedAmounts"),
                selectMethod(LazilyMissingCountersSample.class, "shouldRejectOrRoundTripEveryGeneratedKey"));

        results.testEvents().assertStatistics(stats -> stats.started(2).aborted(2));
        assertThat(abortMessages(results.testEvents())).containsOnly(MISSING);
    }

    @Test
    void shouldFailEveryCaseWhenTheMissingServerIsRequired() {
        EngineExecutionResults results = run(selectClass(RequiredCountersSample.class));

        results.testEvents().assertStatistics(stats -> stats.succeeded(0).aborted(0));
        assertThat(results.testEvents().failed().count()).isPositive();
    }

    private static EngineExecutionResults run(DiscoverySelector... selectors) {
        return EngineTestKit.engine("junit-jupiter").selectors(selectors).execute();
    }

    private static List<String> abortMessages(Events events) {
        return events.aborted().stream()
                .map(event -> event.getRequiredPayload(TestExecutionResult.class).getThrowable().orElseThrow()
                        .getMessage())
                .toList();
    }

    /** The counters kit on a server that is not there; only through the engine test kit above. */
    static final class MissingCountersSample extends CountersContract {
        @Override
        protected Counters counters() {
            return Assumptions.abort(MISSING);
        }
    }

    /** The rate-limiter kit on a server that is not there; only through the engine test kit above. */
    static final class MissingRateLimiterSample extends RateLimiterContract {
        @Override
        protected RateLimiter rateLimiter(RateLimit policy) {
            return Assumptions.abort(MISSING);
        }
    }

    /** The idempotency-store kit on a server that is not there; only through the engine test kit above. */
    static final class MissingIdempotencyStoreSample extends IdempotencyStoreContract {
        @Override
        protected IdempotencyStore store() {
            return Assumptions.abort(MISSING);
        }
    }

    /** Counters that look for their server on each call, and find none; only through the engine test kit above. */
    static final class LazilyMissingCountersSample extends CountersContract {
        @Override
        protected Counters counters() {
            return (Counters) Proxy.newProxyInstance(Counters.class.getClassLoader(), new Class<?>[] {Counters.class},
                    (proxy, method, arguments) -> Assumptions.abort(MISSING));
        }
    }

    /** The counters kit on a required server that is not there; only through the engine test kit above. */
    static final class RequiredCountersSample extends CountersContract {
        @Override
        protected Counters counters() {
            return Assertions.fail(REQUIRED);
        }
    }
}
