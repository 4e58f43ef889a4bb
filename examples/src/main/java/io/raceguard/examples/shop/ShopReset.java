package io.raceguard.examples.shop;

import io.raceguard.guard.Counters;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * {@code POST /reset}: puts both modes back to the starting state. Coupon {@code SAVE20} with
 * {@code max_uses} 1; account 1 holds 200 and account 2 holds 0; item 99 has a stock of 1; no users,
 * no login attempts, no charges. Not meant to run while requests are in flight.
 */
final class ShopReset {

    static final String COUPON = "SAVE20";
    static final long ITEM = 99;

    private final Jdbi jdbi;
    private final Counters guardedStock;
    private final ResetGeneration generation;

    ShopReset(Jdbi jdbi, Counters guardedStock, ResetGeneration generation) {
        this.jdbi = jdbi;
        this.guardedStock = guardedStock;
        this.generation = generation;
    }

    void run() {
        jdbi.useTransaction(handle -> {
            for (Mode mode : Mode.values()) {
                resetTables(handle, mode);
            }
            handle.execute("DELETE FROM naive_items");
            handle.execute("INSERT INTO naive_items (id, stock) VALUES (?, 1)", ITEM);
        });
        guardedStock.set(Orders.stockKey(ITEM), 1);
        generation.advance();
    }

    private static void resetTables(Handle handle, Mode mode) {
        for (String table : new String[] {"coupon_redemptions", "coupons", "accounts", "users", "orders",
                "login_attempts", "charges"}) {
            handle.execute("DELETE FROM " + mode.table(table));
        }
        handle.execute("INSERT INTO " + mode.table("coupons") + " (code, uses, max_uses) VALUES (?, 0, 1)", COUPON);
        handle.execute("INSERT INTO " + mode.table("accounts") + " (id, balance) VALUES (1, 200), (2, 0)");
    }
}
