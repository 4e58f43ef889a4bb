package io.raceguard.examples.shop;

import io.raceguard.guard.Counters;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * {@code GET /state/{mode}}: what the mode's endpoints have changed, in one JSON object:
 * {@code {"coupon_redemptions":n,"balances":{"1":n,"2":n},"users":n,"orders":n,"stock":n,
 * "login_attempts_allowed":n,"charges":n}}.
 */
final class ShopState {

    private final Jdbi jdbi;
    private final Counters guardedStock;

    ShopState(Jdbi jdbi, Counters guardedStock) {
        this.jdbi = jdbi;
        this.guardedStock = guardedStock;
    }

    Json of(Mode mode) {
        return jdbi.withHandle(handle -> Json.object()
                .put("coupon_redemptions", count(handle, mode, "coupon_redemptions"))
                .put("balances", Json.object()
                        .put("1", balance(handle, mode, 1))
                        .put("2", balance(handle, mode, 2)))
                .put("users", count(handle, mode, "users"))
                .put("orders", count(handle, mode, "orders"))
                .put("stock", stock(handle, mode))
                .put("login_attempts_allowed", count(handle, mode, "login_attempts"))
                .put("charges", count(handle, mode, "charges")));
    }

    private long stock(Handle handle, Mode mode) {
        if (mode == Mode.GUARDED) {
            return guardedStock.get(Orders.stockKey(ShopReset.ITEM)).orElse(0);
        }
        return handle.createQuery("SELECT stock FROM naive_items WHERE id = :item")
                .bind("item", ShopReset.ITEM)
                .mapTo(Long.class)
                .findOne()
                .orElse(0L);
    }

    private static long count(Handle handle, Mode mode, String table) {
        return handle.createQuery("SELECT COUNT(*) FROM " + mode.table(table)).mapTo(Long.class).one();
    }

    private static long balance(Handle handle, Mode mode, long account) {
        return handle.createQuery("SELECT balance FROM " + mode.table("accounts") + " WHERE id = :id")
                .bind("id", account)
                .mapTo(Long.class)
                .findOne()
                .orElse(0L);
    }
}
