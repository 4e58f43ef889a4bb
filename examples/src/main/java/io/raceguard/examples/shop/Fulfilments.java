package io.raceguard.examples.shop;

import io.raceguard.Outcome;
import io.raceguard.Rejection;
import io.raceguard.jdbc.GuardedUpdates;
import java.util.Locale;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * {@code POST /{mode}/fulfilment order=7&action=cancel|ship}: 200 cancelled (refunded) or shipped, 409 when
 * the order already left {@code PLACED}, 404 unknown order. An order may be cancelled or shipped, never
 * both: every settlement (a refund or a shipment) is a row in {@code {mode}_settlements}, so a round in
 * which the order was settled more than once shows more than one row.
 */
final class Fulfilments implements Endpoint {

    static final String PLACED = "PLACED";

    private static final GuardedUpdates ORDERS = GuardedUpdates.on("guarded_fulfilments", "id");

    private final Jdbi jdbi;
    private final SimulatedCall settlement;

    Fulfilments(Jdbi jdbi, SimulatedCall settlement) {
        this.jdbi = jdbi;
        this.settlement = settlement;
    }

    @Override
    public String path() {
        return "/fulfilment";
    }

    /** Reads the status, calls the refund provider or the carrier, then writes the new status: both can pass. */
    @Override
    public Reply naive(ShopRequest request) {
        long order = request.form().positiveNumber("order");
        Action action = action(request);
        Optional<String> status = jdbi.withHandle(handle -> handle
                .createQuery("SELECT status FROM naive_fulfilments WHERE id = :order")
                .bind("order", order)
                .mapTo(String.class)
                .findOne());
        if (status.isEmpty()) {
            return Reply.error(404, "no such order");
        }
        if (!status.get().equals(PLACED)) {
            return alreadySettled();
        }
        settlement.run();
        jdbi.useTransaction(handle -> {
            handle.createUpdate("UPDATE naive_fulfilments SET status = :status WHERE id = :order")
                    .bind("status", action.status)
                    .bind("order", order)
                    .execute();
            recordSettlement(handle, Mode.NAIVE, order, action);
        });
        return settled(order, action);
    }

    /**
     * Moves the order out of {@code PLACED} with one compare-and-set, and records the settlement in the same
     * transaction: of two concurrent requests only one can find the order still placed. The refund or the
     * shipment is booked only by the request that won the transition.
     */
    @Override
    public Reply guarded(ShopRequest request) {
        long order = request.form().positiveNumber("order");
        Action action = action(request);
        Outcome<String> moved = jdbi.inTransaction(handle -> {
            Outcome<String> transition = ORDERS.compareAndSet("status", PLACED, action.status).apply(handle, order);
            if (transition.isApplied()) {
                recordSettlement(handle, Mode.GUARDED, order, action);
            }
            return transition;
        });
        if (!moved.isApplied()) {
            return moved.rejection() == Rejection.NOT_FOUND ? Reply.error(404, "no such order") : alreadySettled();
        }
        settlement.run();
        return settled(order, action);
    }

    private static void recordSettlement(Handle handle, Mode mode, long order, Action action) {
        handle.createUpdate("INSERT INTO " + mode.table("settlements") + " (order_id, kind) VALUES (:order, :kind)")
                .bind("order", order)
                .bind("kind", action.settlement)
                .execute();
    }

    private static Action action(ShopRequest request) {
        String action = request.form().text("action");
        return switch (action.toLowerCase(Locale.ROOT)) {
            case "cancel" -> Action.CANCEL;
            case "ship" -> Action.SHIP;
            default -> throw new BadRequestException("field action must be cancel or ship");
        };
    }

    private static Reply alreadySettled() {
        return Reply.error(409, "the order was already cancelled or shipped");
    }

    private static Reply settled(long order, Action action) {
        return Reply.of(200, Json.object().put("order_id", order).put("status", action.status));
    }

    /** What a request asks for: the status it moves the order to and the settlement it books. */
    private enum Action {
        CANCEL("CANCELLED", "refund"),
        SHIP("SHIPPED", "shipment");

        final String status;
        final String settlement;

        Action(String status, String settlement) {
            this.status = status;
            this.settlement = settlement;
        }
    }
}
