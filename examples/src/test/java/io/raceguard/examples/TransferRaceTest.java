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
 * Twenty $100 transfers from an account holding $200, at the same instant: two may go through, the
 * money is conserved and no balance goes below zero. The naive endpoint overdraws; the guarded one
 * holds.
 */
final class TransferRaceTest {

    @RegisterExtension
    static final RunningShop SHOP = new RunningShop();

    @RegisterExtension
    static final HammerExtension HAMMER = HammerExtension.create().withTimes(20).withRounds(10);

    @Test
    void shouldMoveOnlyTheMoneyThereIsWhenGuarded(Hammer hammer) {
        HammerReport<RaceResponse> report = transferAtOnce(hammer, "guarded");

        assertThat(report.rounds()).hasSize(10);
    }

    @Test
    void shouldCatchTheNaiveEndpointOverdrawingTheAccount(Hammer hammer) {
        assertThatThrownBy(() -> transferAtOnce(hammer, "naive"))
                .isInstanceOfSatisfying(HammerFailure.class, failure -> {
                    assertThat(failure.report().failedRounds()).isNotEmpty();
                    assertThat(failure.getMessage()).contains("transfers", "expected exactly 2");
                });
    }

    private static HammerReport<RaceResponse> transferAtOnce(Hammer hammer, String mode) {
        return hammer.http(HttpRace.to(SHOP.uri()).arrivalHeader(Shop.ARRIVAL_HEADER))
                .beforeEachRound(SHOP::reset)
                .request(i -> RaceRequest.post("/" + mode + "/transfer")
                        .form(Map.of("from", "1", "to", "2", "amount", "100")))
                .expect(Invariant.exactly(2, "transfers", Statuses.is(200)),
                        Invariant.none("server errors", Statuses.isServerError()),
                        Invariant.conserved("money", () -> SHOP.balance(mode, 1) + SHOP.balance(mode, 2)),
                        Invariant.that("no overdraft", round -> assertThat(SHOP.balance(mode, 1)).isNotNegative()));
    }
}
