package io.raceguard.examples.demo;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The seven seed attacks the demo runs, one per endpoint of the shop. */
final class Attacks {

    private static final String EMAIL = "alice@example.com";
    private static final long TRANSFER = 100;
    private static final long STARTING_BALANCE = 200;

    private Attacks() {}

    static List<Attack> all() {
        return List.of(
                new Attack("/coupons/redeem", "redemptions", 1,
                        i -> Map.of("code", "SAVE20", "user", "u" + i), Map.of(), ShopSnapshot::couponRedemptions),
                new Attack("/transfer", "transfers", STARTING_BALANCE / TRANSFER,
                        i -> Map.of("from", "1", "to", "2", "amount", Long.toString(TRANSFER)), Map.of(),
                        state -> state.balance2() / TRANSFER),
                new Attack("/signup", "sign-ups", 1,
                        i -> Map.of("email", casing(EMAIL, i)), Map.of(), ShopSnapshot::users),
                new Attack("/orders", "orders", 1,
                        i -> Map.of("item", "99"), Map.of(), ShopSnapshot::orders),
                new Attack("/login", "password checks", 5,
                        i -> Map.of("user", "alice", "password", "guess-" + i), Map.of(),
                        ShopSnapshot::loginAttemptsAllowed),
                new Attack("/charge", "charges", 1,
                        i -> Map.of("amount", "100"), Map.of("Idempotency-Key", "checkout-7f3a"),
                        ShopSnapshot::charges),
                new Attack("/fulfilment", "settlements", 1,
                        i -> Map.of("order", "7", "action", i % 2 == 0 ? "cancel" : "ship"), Map.of(),
                        ShopSnapshot::orderSettlements));
    }

    /** @return the address with the letters chosen by the bits of {@code variant} in upper case */
    static String casing(String email, int variant) {
        StringBuilder cased = new StringBuilder(email.length());
        int letter = 0;
        for (char c : email.toCharArray()) {
            if (Character.isLetter(c)) {
                boolean upper = letter < Integer.SIZE && (variant >>> letter & 1) == 1;
                cased.append(upper ? String.valueOf(c).toUpperCase(Locale.ROOT) : String.valueOf(c));
                letter++;
            } else {
                cased.append(c);
            }
        }
        return cased.toString();
    }
}
