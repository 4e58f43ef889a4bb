package io.raceguard.examples.demo;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One reading of {@code GET /state/{mode}}: what the mode's endpoints changed since the last reset.
 *
 * @param couponRedemptions redemptions of coupon SAVE20
 * @param balance1 the balance of account 1
 * @param balance2 the balance of account 2
 * @param users users signed up
 * @param orders orders placed
 * @param stock the stock left of item 99
 * @param loginAttemptsAllowed login attempts that got as far as the password check
 * @param charges charges made
 * @param orderSettlements refunds and shipments of order 7: more than one means it was both, or twice
 */
record ShopSnapshot(long couponRedemptions, long balance1, long balance2, long users, long orders, long stock,
        long loginAttemptsAllowed, long charges, long orderSettlements) {

    private static final Pattern BALANCES = Pattern.compile("\"balances\"\\s*:\\s*\\{([^}]*)}");

    /** @throws IllegalStateException if a member of the shop's state is missing */
    static ShopSnapshot parse(String json) {
        Matcher balances = BALANCES.matcher(json);
        if (!balances.find()) {
            throw new IllegalStateException("the shop's state has no balances: " + json);
        }
        String accounts = balances.group(1);
        return new ShopSnapshot(number(json, "coupon_redemptions"), number(accounts, "1"), number(accounts, "2"),
                number(json, "users"), number(json, "orders"), number(json, "stock"),
                number(json, "login_attempts_allowed"), number(json, "charges"), number(json, "order_settlements"));
    }

    private static long number(String json, String name) {
        Matcher member = Pattern.compile("\"" + Pattern.quote(name) + "\"\\s*:\\s*(-?\\d+)").matcher(json);
        if (!member.find()) {
            throw new IllegalStateException("the shop's state has no number " + name + ": " + json);
        }
        return Long.parseLong(member.group(1));
    }
}
