package io.raceguard.examples.shop;

import io.raceguard.idempotency.Idempotency;
import io.raceguard.idempotency.IdempotencyCodec;
import io.raceguard.idempotency.IdempotencyKey;
import io.raceguard.idempotency.IdempotentResult;
import io.raceguard.web.IdempotencyStatus;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/**
 * {@code POST /{mode}/charge amount=100} with an {@code Idempotency-Key} header: 201 charged, 200
 * replayed (the first receipt again), 409 a request with that key is in flight, 422 the key came
 * with another body, 400 no key (guarded mode).
 */
final class Charges implements Endpoint {

    private static final String KEY_HEADER = "Idempotency-Key";
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Duration RETENTION = Duration.ofMinutes(10);

    private final Jdbi jdbi;
    private final Idempotency idempotency;
    private final ResetGeneration generation;
    private final SimulatedCall paymentProvider;

    Charges(Jdbi jdbi, GuardStores stores, ResetGeneration generation, SimulatedCall paymentProvider) {
        this.jdbi = jdbi;
        // Ten minutes, not the usual day, so that a demo's records leave a shared Redis soon after it ends.
        this.idempotency = Idempotency.builder(stores.idempotencyStore()).retention(RETENTION).build();
        this.generation = generation;
        this.paymentProvider = paymentProvider;
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

    /**
     * Claims the key in one atomic step before the work runs: a concurrent copy is told 409, a later
     * one gets the recorded receipt. The scope names the operation; the shop has one customer.
     */
    @Override
    public Reply guarded(ShopRequest request) {
        long amount = request.form().positiveNumber("amount");
        Optional<String> presented = request.header(KEY_HEADER).filter(key -> !key.isBlank());
        if (presented.isEmpty()) {
            return Reply.error(IdempotencyStatus.MISSING_OR_MALFORMED_KEY, "header " + KEY_HEADER + " is required");
        }
        IdempotencyKey key = scoped(presented.get());
        byte[] canonicalRequest = ("amount=" + amount).getBytes(StandardCharsets.UTF_8);
        IdempotentResult<String> result = idempotency.execute(key, canonicalRequest, IdempotencyCodec.utf8(),
                () -> charge(Mode.GUARDED, presented.get(), amount));
        if (result instanceof IdempotentResult.Executed<String> executed) {
            return charged(executed.value());
        }
        if (result instanceof IdempotentResult.Replayed<String> replayed) {
            return replayed(replayed.value());
        }
        if (result instanceof IdempotentResult.InProgress<String> inFlight) {
            long seconds = Math.max(1, (inFlight.retryAfter().toMillis() + 999) / 1000);
            return Reply.error(IdempotencyStatus.of(result), "a request with this key is in flight")
                    .withHeader("Retry-After", Long.toString(seconds));
        }
        return Reply.error(IdempotencyStatus.of(result), "this key was used with another request");
    }

    private IdempotencyKey scoped(String presented) {
        try {
            return IdempotencyKey.of("shop:" + generation.current() + ":POST /charge", presented);
        } catch (IllegalArgumentException unusable) {
            throw new BadRequestException("header " + KEY_HEADER + " is not a usable key: " + unusable.getMessage());
        }
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
