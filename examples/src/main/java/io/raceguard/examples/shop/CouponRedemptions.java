package io.raceguard.examples.shop;

import io.raceguard.Outcome;
import io.raceguard.Rejection;
import io.raceguard.jdbc.GuardedUpdates;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * {@code POST /{mode}/coupons/redeem code=SAVE20&user=U}: 200 redeemed, 409 used up, 404 unknown
 * coupon.
 */
final class CouponRedemptions implements Endpoint {

    private static final GuardedUpdates COUPONS = GuardedUpdates.on("guarded_coupons", "code");

    private final Jdbi jdbi;
    private final SimulatedCall fraudCheck;

    CouponRedemptions(Jdbi jdbi, SimulatedCall fraudCheck) {
        this.jdbi = jdbi;
        this.fraudCheck = fraudCheck;
    }

    @Override
    public String path() {
        return "/coupons/redeem";
    }

    /** Reads the uses, checks them, calls the fraud check, then counts the use: every request may pass the check. */
    @Override
    public Reply naive(ShopRequest request) {
        String code = request.form().text("code");
        String user = request.form().text("user");
        Optional<Boolean> usedUp = jdbi.withHandle(handle -> handle
                .createQuery("SELECT uses >= max_uses FROM naive_coupons WHERE code = :code")
                .bind("code", code)
                .mapTo(Boolean.class)
                .findOne());
        if (usedUp.isEmpty()) {
            return Reply.error(404, "no such coupon");
        }
        if (usedUp.get()) {
            return Reply.error(409, "coupon used up");
        }
        fraudCheck.run();
        jdbi.useTransaction(handle -> {
            handle.createUpdate("UPDATE naive_coupons SET uses = uses + 1 WHERE code = :code")
                    .bind("code", code)
                    .execute();
            recordRedemption(handle, Mode.NAIVE, code, user);
        });
        return redeemed(code, user);
    }

    /** The condition is inside the write: {@code uses + 1 <= max_uses}, checked and applied under the row lock. */
    @Override
    public Reply guarded(ShopRequest request) {
        String code = request.form().text("code");
        String user = request.form().text("user");
        fraudCheck.run();
        Outcome<Long> use = jdbi.inTransaction(handle -> {
            Outcome<Long> counted = COUPONS.increment("uses", 1, "max_uses").apply(handle, code);
            if (counted.isApplied()) {
                recordRedemption(handle, Mode.GUARDED, code, user);
            }
            return counted;
        });
        if (use.isApplied()) {
            return redeemed(code, user);
        }
        return use.rejection() == Rejection.NOT_FOUND
                ? Reply.error(404, "no such coupon")
                : Reply.error(409, "coupon used up");
    }

    private static void recordRedemption(Handle handle, Mode mode, String code, String user) {
        handle.createUpdate("INSERT INTO " + mode.table("coupon_redemptions")
                        + " (code, username) VALUES (:code, :user)")
                .bind("code", code)
                .bind("user", user)
                .execute();
    }

    private static Reply redeemed(String code, String user) {
        return Reply.of(200, Json.object().put("redeemed", true).put("code", code).put("user", user));
    }
}
