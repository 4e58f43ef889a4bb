package io.raceguard.spring.shop;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.raceguard.testing.Hammer;
import io.raceguard.testing.HammerFailure;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

/**
 * The scenarios on the in-memory backend, and the same endpoints without the annotations losing:
 * a second redemption, an overdraft, a duplicate user, an oversold item, logins past the limit, a
 * charge run again for each copy.
 */
@TestPropertySource(properties = {"raceguard.backend=memory", ShopScenarios.NO_DATA_SOURCE})
final class InMemoryShopTest extends ShopScenarios {

    @Test
    void shouldCatchTheUnguardedCouponRedeemedTwice(Hammer hammer) {
        assertThatThrownBy(() -> onlyOneWins(hammer, round -> "/unguarded/coupons/" + round + "/redeem", Map.of()))
                .isInstanceOf(HammerFailure.class).hasMessageContaining("went through");
    }

    @Test
    void shouldCatchTheUnguardedTransferOverdrawing(Hammer hammer) {
        assertThatThrownBy(() -> transferAtOnce(hammer, "unguarded"))
                .isInstanceOf(HammerFailure.class).hasMessageContaining("transfers");
    }

    @Test
    void shouldCatchTheUnguardedSignUpTwice(Hammer hammer) {
        assertThatThrownBy(() -> onlyOneWins(hammer, round -> "/unguarded/users", Map.of("email", "email")))
                .isInstanceOf(HammerFailure.class).hasMessageContaining("went through");
    }

    @Test
    void shouldCatchTheUnguardedLastItemSoldTwice(Hammer hammer) {
        assertThatThrownBy(() -> onlyOneWins(hammer, round -> "/unguarded/items/" + round + "/buy", Map.of()))
                .isInstanceOf(HammerFailure.class).hasMessageContaining("went through");
    }

    @Test
    void shouldCatchTheUnguardedLoginPastTheLimit(Hammer hammer) {
        assertThatThrownBy(() -> loginAtOnce(hammer, "unguarded"))
                .isInstanceOf(HammerFailure.class).hasMessageContaining("logins let through");
    }

    @Test
    void shouldCatchTheUnguardedChargeRunningAgain(Hammer hammer) {
        assertThatThrownBy(() -> chargeAtOnce(hammer, "unguarded"))
                .isInstanceOf(HammerFailure.class).hasMessageContaining("the charge ran once");
    }
}
