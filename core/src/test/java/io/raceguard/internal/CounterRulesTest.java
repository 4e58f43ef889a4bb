package io.raceguard.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import io.raceguard.Outcome;
import io.raceguard.Rejection;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

final class CounterRulesTest {

    @Test
    void shouldHandTheStepTheHighestLevelThatFits() {
        AtomicLong given = new AtomicLong(-1);

        Outcome<Long> outcome = CounterRules.add("uses", 2, Long.MAX_VALUE, room -> {
            given.set(room);
            return Outcome.applied(2L);
        });

        assertThat(outcome).isEqualTo(Outcome.applied(2L));
        assertThat(given).hasValue(Long.MAX_VALUE - 2);
    }

    @Test
    void shouldRefuseAnAmountAboveTheCeilingWithoutRunningTheStep() {
        Outcome<Long> outcome = CounterRules.add("uses", 2, 1, room -> {
            throw new AssertionError("the step ran with room " + room);
        });

        assertThat(outcome).isEqualTo(Outcome.rejected(Rejection.CONDITION_FAILED, "ceiling would be passed"));
        assertThat(outcome).isSameAs(CounterRules.ceilingPassed());
    }

    @Test
    void shouldRunTheStepWhenTheAmountEqualsTheCeiling() {
        assertThat(CounterRules.add("signup", 1, 1, room -> Outcome.applied(room))).isEqualTo(Outcome.applied(0L));
    }

    @Test
    void shouldWordTheRefusalsOfTakeByWhetherTheCounterExists() {
        assertThat(CounterRules.takeRefused(false)).isEqualTo(Outcome.rejected(Rejection.NOT_FOUND, "no such counter"));
        assertThat(CounterRules.takeRefused(true))
                .isEqualTo(Outcome.rejected(Rejection.CONDITION_FAILED, "level below amount"));
    }

    @Test
    void shouldNameTheParameterThatIsOutOfRange() {
        assertThatIllegalArgumentException().isThrownBy(() -> CounterRules.requireTake("stock", 0))
                .withMessage("amount must be > 0, was 0");
        assertThatIllegalArgumentException().isThrownBy(() -> CounterRules.add("uses", 1, -1, room -> null))
                .withMessage("ceiling must be >= 0, was -1");
        assertThatIllegalArgumentException().isThrownBy(() -> CounterRules.add("uses", -1, 1, room -> null))
                .withMessage("amount must be > 0, was -1");
        assertThatIllegalArgumentException().isThrownBy(() -> CounterRules.requireSet("stock", -1))
                .withMessage("level must be >= 0, was -1");
        assertThatNullPointerException().isThrownBy(() -> CounterRules.requireCounterKey(null)).withMessage("key");
    }
}
