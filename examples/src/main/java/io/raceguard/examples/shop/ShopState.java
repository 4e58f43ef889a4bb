package io.raceguard.examples.shop;

import io.raceguard.counter.Counters;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;

/**
 * {@code GET /state/{mode}}: what the mode's endpoints have changed, in one JSON object:
 * {@code {"coupon_redemptions":n,"balances":{"1":n,"2":n},"users":n,"orders":n,"stock":n,
 * "login_attempts_allowed":n,"charges":n,
 * "order_settlements":n}}. The tables are read in one query, so in one round trip:
 * a soak reads the state after each of its many rounds.
 */
final class ShopState {

    private final Jdbi jdbi;
    private final Counters guardedStock;

    ShopState(Jdbi jdbi, Counters guardedStock) {
        this.jdbi = jdbi;
        this.guardedStock = guardedStock;
    }

    Json of(Mode mode) {
        Map<String, Object> row = jdbi.withHandle(handle -> handle.createQuery("SELECT "
                        + count(mode, "coupon_redemptions") + ", "
                        + "(SELECT balance FROM " + mode.table("accounts") + " WHERE id = 1) AS balance_1, "
                        + "(SELECT balance FROM " + mode.table("accounts") + " WHERE id = 2) AS balance_2, "
                        + count(mode, "users") + ", "
                        + count(mode, "orders") + ", "
                        + "(SELECT stock FROM naive_items WHERE id = :item) AS naive_stock, "
                        + count(mode, "login_attempts") + ", "
                        + count(mode, "charges") + ", "
                        + count(mode, "settlements"))
                .bind("item", ShopReset.ITEM)
                .mapToMap()
                .one());
        long stock = mode == Mode.GUARDED
                ? guardedStock.get(Orders.stockKey(ShopReset.ITEM)).orElse(0)
                : number(row, "naive_stock");
        return Json.object()
                .put("coupon_redemptions", number(row, "coupon_redemptions"))
                .put("balances", Json.object()
                        .put("1", number(row, "balance_1"))
                        .put("2", number(row, "balance_2")))
                .put("users", number(row, "users"))
                .put("orders", number(row, "orders"))
                .put("stock", stock)
                .put("login_attempts_allowed", number(row, "login_attempts"))
                .put("charges", number(row, "charges"))
                .put("order_settlements", number(row, "settlements"));
    }

    /** @return a scalar subquery counting the rows of the mode's table, named after the table */
    private static String count(Mode mode, String table) {
        return "(SELECT COUNT(*) FROM " + mode.table(table) + ") AS " + table;
    }

    /** @return the column as a number; a missing row (an account or item deleted) reads as 0 */
    private static long number(Map<String, Object> row, String column) {
        Object value = row.get(column);
        return value == null ? 0 : ((Number) value).longValue();
    }
}
