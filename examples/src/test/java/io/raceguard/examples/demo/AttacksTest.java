package io.raceguard.examples.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

final class AttacksTest {

    @Test
    void shouldSpellTheSignupAddressDifferentlyInEveryRequestOfARound() {
        Set<String> spellings = IntStream.range(0, DemoRun.REQUESTS)
                .mapToObj(i -> Attacks.casing("alice@example.com", i))
                .collect(Collectors.toSet());

        assertThat(spellings).hasSize(DemoRun.REQUESTS)
                .allSatisfy(email -> assertThat(email.toLowerCase(Locale.ROOT)).isEqualTo("alice@example.com"));
    }

    @Test
    void shouldReadEveryNumberOfTheShopsState() {
        ShopSnapshot state = ShopSnapshot.parse("{\"coupon_redemptions\":3,\"balances\":{\"1\":-1800,\"2\":2000},"
                + "\"users\":4,\"orders\":5,\"stock\":-19,\"login_attempts_allowed\":6,\"charges\":7,"
                + "\"order_settlements\":8}");

        assertThat(state).isEqualTo(new ShopSnapshot(3, -1800, 2000, 4, 5, -19, 6, 7, 8));
    }
}
