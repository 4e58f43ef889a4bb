package io.raceguard.examples.shop;

import io.raceguard.web.IdempotencyFilter;
import io.raceguard.web.PrincipalResolver;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/**
 * {@code POST /{mode}/charge amount=100} with an {@code Idempotency-Key} header: 201 charged. The naive
 * version looks the key up itself and answers 200 with the receipt of a charge it finds. The guarded
 * version is the plain charge behind {@link #idempotencyFilter}: a retry gets the first answer again,
 * byte for byte, 409 while a request with that key is in flight, 422 when the key came with another
 * body, 400 without a key.
 */
final class Charges implements Endpoint {

    private static final String KEY_HEADER = IdempotencyFilter.KEY_HEADER;
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Duration RETENTION = Duration.ofMinutes(10);

    private final Jdbi jdbi;
    private final SimulatedCall paymentProvider;

    Charges(Jdbi jdbi, SimulatedCall paymentProvider) {
        this.jdbi = jdbi;
        this.paymentProvider = paymentProvider;
    }

    /**
     * The filter in front of {@code /guarded/charge}. The shop has one customer, so the principal is the
     * shop's reset generation: after {@code POST /reset} every key is new.
     *
     * @param stores where the idempotency records live
     * @param generation the shop's resets
     * @return the filter, to map on every path
     */
    static IdempotencyFilter idempotencyFilter(GuardStores stores, ResetGeneration generation) {
        PrincipalResolver oneCustomer = request -> Optional.of("shop:" + generation.current());
        // Ten minutes, not the usual day, so that a demo's records leave a shared Redis soon after it ends.
        return IdempotencyFilter.builder(stores.idempotencyStore())
                .requireKey("/guarded/charge")
                .principal(oneCustomer)
                .retention(RETENTION)
                .build();
    }

    @Override
    public String path() {
        return "/charge";
    }

    /**
     * Looks for an earlier charge with the key, calls the payment provider, then records the charge:
     * a retry sent while the first attempt still runs finds nothing and charges the card again.
     */
    @Override
    public Reply naive(ShopRequest request) {
        long amount = request.form().positiveNumber("amount");
        Optional<String> key = request.header(KEY_HEADER);
        Optional<String> earlier = key.flatMap(presented -> jdbi.withHandle(handle -> handle
                .createQuery("SELECT receipt FROM naive_charges WHERE idempotency_key = :key")
                .bind("key", presented)
                .mapTo(String.class)
                .findFirst()));
        if (earlier.isPresent()) {
            return replayed(earlier.get());
        }
        return charged(charge(Mode.NAIVE, key.orElse(null), amount));
    }

    /** Charges once per call: {@link #idempotencyFilter} lets only the first request with a key through. */
    @Override
    public Reply guarded(ShopRequest request) {
        long amount = request.form().positiveNumber("amount");
        return charged(charge(Mode.GUARDED, request.header(KEY_HEADER).orElseThrow(), amount));
    }

    /** Calls the payment provider, then records the charge; returns its receipt number. */
    private String charge(Mode mode, String key, long amount) {
        paymentProvider.run();
        byte[] random = new byte[8];
        RANDOM.nextBytes(random);
        String receipt = "ch_" + HexFormat.of().formatHex(random);
        jdbi.useHandle(handle -> handle
                .createUpdate("INSERT INTO " + mode.table("charges")
                        + " (idempotency_key, amount, receipt) VALUES (:key, :amount, :receipt)")
                .bind("key", key)
                .bind("amount", amount)
                .bind("receipt", receipt)
                .execute());
        return receipt;
    }

    private static Reply charged(String receipt) {
        return Reply.of(201, Json.object().put("charged", true).put("receipt", receipt));
    }

    private static Reply replayed(String receipt) {
        return Reply.of(200, Json.object().put("charged", true).put("receipt", receipt).put("replayed", true));
    }
}
