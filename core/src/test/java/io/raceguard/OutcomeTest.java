package io.raceguard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.NoSuchElementException;
import org.junit.jupiter.api.Test;

final class OutcomeTest {

    @Test
    void shouldReadTheDetailOfARejectionWithoutPatternMatching() {
        Outcome<Long> duplicate = Outcome.rejected(Rejection.DUPLICATE, "users_email_key");

        assertThat(duplicate.isApplied()).isFalse();
        assertThat(duplicate.rejection()).isEqualTo(Rejection.DUPLICATE);
        assertThat(duplicate.detail()).isEqualTo("users_email_key");
        assertThat(Outcome.<Long>rejected(Rejection.NOT_FOUND).detail()).isEmpty();
    }

    @Test
    void shouldRefuseTheRejectionAccessorsOfAnAppliedOutcome() {
        Outcome<Long> applied = Outcome.applied(4L);

        assertThat(applied.value()).isEqualTo(4L);
        assertThatThrownBy(applied::rejection).isInstanceOf(NoSuchElementException.class);
        assertThatThrownBy(applied::detail).isInstanceOf(NoSuchElementException.class);
    }

    @Test
    void shouldCarryTheRejectionAndItsDetailIntoTheExceptionOfOrElseThrow() {
        Outcome<Long> duplicate = Outcome.rejected(Rejection.DUPLICATE, "users_email_key");

        assertThatThrownBy(duplicate::orElseThrow)
                .isInstanceOfSatisfying(OutcomeRejectedException.class, rejected -> {
                    assertThat(rejected.rejection()).isEqualTo(Rejection.DUPLICATE);
                    assertThat(rejected.detail()).isEqualTo("users_email_key");
                });
        assertThat(Outcome.applied(4L).orElseThrow()).isEqualTo(4L);
    }
}
