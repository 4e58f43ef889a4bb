package io.raceguard.examples.shop;

import io.raceguard.Outcome;
import io.raceguard.Rejection;
import io.raceguard.counter.Counters;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * {@code POST /{mode}/orders item=99}: 201 ordered, 409 sold out, 404 unknown item. The naive stock
 * is a column; the guarded stock is a Raceguard counter, in the database or on Redis.
 */
final class Orders implements Endpoint {

    private final Jdbi jdbi;
    private final Counters stock;
    private final SimulatedCall payment;

    Orders(Jdbi jdbi, Counters stock, SimulatedCall payment) {
        this.jdbi = jdbi;
        this.stock = stock;
        this.payment = payment;
    }

    /** @return the counter that holds an item's guarded stock */
    static String stockKey(long item) {
        return "stock:" + item;
    }

    @Override
    public String path() {
        return "/orders";
    }

    /** Reads the stock, takes the payment, then decrements: the last item sells once per request. */
    @Override
    public Reply naive(ShopRequest request) {
        long item = request.form().positiveNumber("item");
        Optional<Long> left = jdbi.withHandle(handle -> handle
                .createQuery("SELECT stock FROM naive_items WHERE id = :item")
                .bind("item", item)
                .mapTo(Long.class)
                .findOne());
        if (left.isEmpty()) {
            return Reply.error(404, "no such item");
        }
        if (left.get() < 1) {
            return soldOut();
        }
        payment.run();
        long order = jdbi.inTransaction(handle -> {
            handle.createUpdate("UPDATE naive_items SET stock = stock - 1 WHERE id = :item")
                    .bind("item", item)
                    .execute();
            return insertOrder(handle, Mode.NAIVE, item);
        });
        return ordered(order, item);
    }

    /** Takes one from the stock counter in one atomic step (only if one is left), then takes the payment. */
    @Override
    public Reply guarded(ShopRequest request) {
        long item = request.form().positiveNumber("item");
        Outcome<Long> taken = stock.take(stockKey(item), 1);
        if (!taken.isApplied()) {
            return taken.rejection() == Rejection.NOT_FOUND ? Reply.error(404, "no such item") : soldOut();
        }
        try {
            payment.run();
            return ordered(jdbi.withHandle(handle -> insertOrder(handle, Mode.GUARDED, item)), item);
        } catch (RuntimeException failed) {
            // No order was recorded: put the item back so that it can still be sold.
            stock.add(stockKey(item), 1, Long.MAX_VALUE);
            throw failed;
        }
    }

    private static long insertOrder(Handle handle, Mode mode, long item) {
        return handle.createUpdate("INSERT INTO " + mode.table("orders") + " (item) VALUES (:item)")
                .bind("item", item)
                .executeAndReturnGeneratedKeys("id")
                .mapTo(Long.class)
                .one();
    }

    private static Reply soldOut() {
        return Reply.error(409, "sold out");
    }

    private static Reply ordered(long order, long item) {
        return Reply.of(201, Json.object().put("order_id", order).put("item", item));
    }
}
