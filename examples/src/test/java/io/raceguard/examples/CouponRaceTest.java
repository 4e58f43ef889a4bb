package io.raceguard.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.raceguard.examples.shop.Shop;
import io.raceguard.testing.Hammer;
import io.raceguard.testing.HammerExtension;
import io.raceguard.testing.HammerFailure;
import io.raceguard.testing.HammerReport;
import io.raceguard.testing.Invariant;
import io.raceguard.testing.Statuses;
import io.raceguard.testing.http.HttpRace;
import io.raceguard.testing.http.RaceRequest;
import io.raceguard.testing.http.RaceResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Twenty users redeem a coupon that may be used once, at the same instant, over HTTP: the test a
 * user writes against their own service. The naive endpoint is caught; the guarded one holds.
 */
final class CouponRaceTest {

    @RegisterExtension
    static final RunningShop SHOP = new RunningShop();

    @RegisterExtension
    static final HammerExtension HAMMER = HammerExtension.create().withTimes(20).withRounds(10);

    @Test
    void shouldRedeemTheCouponOnceWhenGuarded(Hammer hammer) {
        redeemAtOnce(hammer, "guarded");
    }

    @Test
    void shouldCatchTheNaiveEndpointRedeemingTheCouponAgainAndAgain(Hammer hammer) {
        assertThatThrownBy(() -> redeemAtOnce(hammer, "naive"))
                .isInstanceOf(HammerFailure.class)
                .hasMessageContaining("double spend");
    }

    // quickstart:http-hammer
    private static HammerReport<RaceResponse> redeemAtOnce(Hammer hammer, String mode) {
        return hammer.http(HttpRace.to(SHOP.uri()).arrivalHeader(Shop.ARRIVAL_HEADER))
                .beforeEachRound(SHOP::reset)
                .request(i -> RaceRequest.post("/" + mode + "/coupons/redeem")
                        .form(Map.of("code", "SAVE20", "user", "user-" + i)))
                .expect(Invariant.exactly(1, "redeemed", Statuses.is(200)),
                        Invariant.none("server errors", Statuses.isServerError()),
                        Invariant.that("one redemption stored", round ->
                                assertThat(SHOP.state(mode, "coupon_redemptions")).isEqualTo(1)));
    }
    // end
}
