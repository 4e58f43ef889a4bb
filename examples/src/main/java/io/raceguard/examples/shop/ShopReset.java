package io.raceguard.examples.shop;

import io.raceguard.counter.Counters;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.Batch;

/**
 * {@code POST /reset}: puts both modes back to the starting state. Coupon {@code SAVE20} with
 * {@code max_uses} 1; account 1 holds 200 and account 2 holds 0; item 99 has a stock of 1; no users,
 * no login attempts, no charges; order 7 placed, neither cancelled nor shipped. Not meant to run
 * while requests are in flight.
 */
final class ShopReset {

    static final String COUPON = "SAVE20";
    static final long ITEM = 99;
    static final long ORDER = 7;

    private static final String[] TABLES = {"coupon_redemptions", "coupons", "accounts", "users", "orders",
        "login_attempts", "charges", "settlements", "fulfilments"};

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
            // One round trip for every delete: a soak resets the shop before each of its many rounds.
            Batch deletes = handle.createBatch();
            for (Mode mode : Mode.values()) {
                for (String table : TABLES) {
                    deletes.add("DELETE FROM " + mode.table(table));
                }
            }
            deletes.add("DELETE FROM naive_items");
            deletes.execute();
            for (Mode mode : Mode.values()) {
                insertStartingRows(handle, mode);
            }
            handle.execute("INSERT INTO naive_items (id, stock) VALUES (?, 1)", ITEM);
        });
        guardedStock.set(Orders.stockKey(ITEM), 1);
        generation.advance();
    }

    private static void insertStartingRows(Handle handle, Mode mode) {
        handle.execute("INSERT INTO " + mode.table("coupons") + " (code, uses, max_uses) VALUES (?, 0, 1)", COUPON);
        handle.execute("INSERT INTO " + mode.table("accounts") + " (id, balance) VALUES (1, 200), (2, 0)");
        handle.execute("INSERT INTO " + mode.table("fulfilments") + " (id, status) VALUES (?, ?)", ORDER,
                Fulfilments.PLACED);
    }
}
