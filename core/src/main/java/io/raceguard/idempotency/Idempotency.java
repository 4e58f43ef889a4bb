package io.raceguard.idempotency;

import static java.util.Objects.requireNonNull;

import io.raceguard.event.IdempotencyEvent;
import io.raceguard.event.RaceguardListener;
import io.raceguard.idempotency.spi.IdempotencyRecord.Status;
import io.raceguard.idempotency.spi.IdempotencyRecord;
import io.raceguard.idempotency.spi.IdempotencyStore;
import io.raceguard.internal.Events;
import io.raceguard.internal.Inputs;
import io.raceguard.internal.OwnerTokens;
import io.raceguard.internal.SetOnce;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a piece of work once per idempotency key and replays its recorded result to every retry of
 * the same request, on top of an {@link IdempotencyStore}. The failure model below says exactly when
 * the work may run a second time.
 *
 * <pre>{@code
 * Idempotency idempotency = Idempotency.builder(store).lease(Duration.ofSeconds(30)).build();
 * IdempotentResult<Receipt> result = idempotency.execute(
 *         IdempotencyKey.of("user:" + userId + ":POST /charges", idempotencyKeyHeader),
 *         requestBody, receiptCodec, () -> charge(order));
 * if (result instanceof IdempotentResult.Executed<Receipt> executed) return ok(executed.value());
 * if (result instanceof IdempotentResult.Replayed<Receipt> replayed) return ok(replayed.value());
 * if (result instanceof IdempotentResult.InProgress<Receipt> busy) return conflict(busy.retryAfter()); // 409
 * return unprocessable();                      // 422: KeyReused, the key came with another request
 * }</pre>
 *
 * <p><b>Algorithm</b> of {@link #execute}:
 *
 * <ol>
 *   <li>The fingerprint is the SHA-256 of the request bytes; the owner token is 128 random bits
 *       from {@link java.security.SecureRandom}, in hex, fresh for every call.
 *   <li>{@link IdempotencyStore#claim Claim} the key with that fingerprint and owner, under the lease
 *       and the retention. If the claim succeeds, go to step 6.
 *   <li>The key is taken. If the record's fingerprint differs from this request's, answer {@link
 *       IdempotentResult.KeyReused KeyReused}. This is checked on every path, whatever the record's
 *       state, before anything else is done with it.
 *   <li>If the record is completed, answer {@link IdempotentResult.Replayed Replayed} with the decoded
 *       recorded response.
 *   <li>The record is in progress. If its lease is live, answer {@link IdempotentResult.InProgress
 *       InProgress}, retry after the lease remaining (at least 1 ms). If it has expired (its owner
 *       died or overran), {@link IdempotencyStore#takeOver take it over}, compare-and-set on the old
 *       owner: if that succeeds, go to step 6; if another caller got there first, go back to step 2,
 *       claiming at most three times in all, then answer {@code InProgress}.
 *   <li>Run the work. If it throws, returns null, or the codec fails, {@link IdempotencyStore#release
 *       release} the claim (owner-fenced) so that a retry can run, and rethrow the failure unchanged
 *       (a null result as a {@link NullPointerException}); should the release fail too, that failure
 *       is added to it as suppressed.
 *   <li>{@link IdempotencyStore#complete Complete} the record with the encoded result, owner-fenced.
 *       If that succeeds, answer {@link IdempotentResult.Executed Executed}. If it is refused, the
 *       claim was lost while the work ran, and another caller may record a different result: throw
 *       {@link ClaimLostException} rather than return a result that could be contradicted.
 * </ol>
 *
 * <p>A caller never deletes or overwrites a record it does not own.
 *
 * <p><b>Failure model.</b> A recorded result is never contradicted: every caller with the same key
 * and payload gets that one result until the retention passes. The work runs again only when no
 * result was recorded: after it failed, after the process running it died (a retry takes the claim
 * over once the lease expires), or after it overran its lease (the overrunning call then gets
 * {@link ClaimLostException}). Work with effects outside the store should therefore tolerate a rare
 * second run, and the lease should exceed the work's slowest run. Store faults are thrown as {@link
 * io.raceguard.BackendException}. From the claim: the work has not run, though the claim may have
 * been recorded, in which case retries are told to wait until its lease expires. From the
 * completion: the work has run and the record stays in progress until its lease expires, after which
 * a retry runs the work again.
 *
 * <p>This class is immutable and thread-safe; one instance serves the whole application.
 */
public final class Idempotency {

    /** How many claims one call makes before it stops competing for an expired lease. */
    private static final int MAX_CLAIM_ATTEMPTS = 3;

    private static final Duration MIN_RETRY_AFTER = Duration.ofMillis(1);
    private static final Logger log = LoggerFactory.getLogger(Idempotency.class);

    private final IdempotencyStore store;
    private final Duration lease;
    private final Duration retention;
    private final Events events;

    private Idempotency(IdempotencyStore store, Duration lease, Duration retention, Events events) {
        this.store = store;
        this.lease = lease;
        this.retention = retention;
        this.events = events;
    }

    /**
     * @param store where the records live
     * @return a builder with a lease of 30 seconds and a retention of 24 hours
     * @throws NullPointerException if {@code store} is null
     */
    public static Builder builder(IdempotencyStore store) {
        return new Builder(requireNonNull(store, "store"));
    }

    /**
     * Runs {@code work} unless a call with the same key already did or is doing it; see the class
     * documentation for the exact steps.
     *
     * @param key the scoped idempotency key
     * @param request the canonical bytes of the request; a retry must send the same bytes
     * @param codec turns the work's result into the recorded bytes and back
     * @param work the work to run at most once per key
     * @param <T> the result type
     * @param <X> the checked exception the work may throw
     * @return {@code Executed} if this call ran the work, {@code Replayed} if an earlier call did,
     *     {@code InProgress} if another call is running it now, {@code KeyReused} if the key was used
     *     with a different request
     * @throws X the work's own failure, unchanged, after the key was freed for a retry
     * @throws NullPointerException if an argument is null (before any effect), or the work returned
     *     null (after the key was freed)
     * @throws ClaimLostException if the work ran but its lease expired and the claim was taken over
     *     before the result could be recorded
     * @throws io.raceguard.BackendException if the store failed
     */
    public <T, X extends Exception> IdempotentResult<T> execute(
            IdempotencyKey key, byte[] request, IdempotencyCodec<T> codec, IdempotentWork<T, X> work) throws X {
        requireNonNull(key, "key");
        requireNonNull(request, "request");
        requireNonNull(codec, "codec");
        requireNonNull(work, "work");
        byte[] fingerprint = RequestFingerprint.of(request);
        String owner = OwnerTokens.next();
        for (int attempt = 1; attempt <= MAX_CLAIM_ATTEMPTS; attempt++) {
            Optional<IdempotencyRecord> taken = store.claim(key, fingerprint, owner, lease, retention);
            if (taken.isEmpty()) {
                return runClaimed(key, owner, codec, work);
            }
            IdempotencyRecord found = taken.get();
            if (!RequestFingerprint.same(found.fingerprint(), fingerprint)) {
                events.idempotency(IdempotencyEvent.KEY_REUSED);
                return new IdempotentResult.KeyReused<>();
            }
            if (found.status() == Status.COMPLETED) {
                IdempotentResult<T> replayed = new IdempotentResult.Replayed<>(codec.decode(found.response()));
                events.idempotency(IdempotencyEvent.REPLAYED);
                return replayed;
            }
            if (!found.leaseRemaining().isZero()) {
                return inProgress(found.leaseRemaining());
            }
            if (store.takeOver(key, found.owner(), owner, lease)) {
                log.debug("Took over an idempotency claim whose lease expired, in scope {}", key.scope());
                events.idempotency(IdempotencyEvent.CLAIM_TAKEN_OVER);
                return runClaimed(key, owner, codec, work);
            }
        }
        return inProgress(MIN_RETRY_AFTER);
    }

    private <T, X extends Exception> IdempotentResult<T> runClaimed(
            IdempotencyKey key, String owner, IdempotencyCodec<T> codec, IdempotentWork<T, X> work) throws X {
        T value;
        byte[] response;
        try {
            value = requireNonNull(work.run(), "the idempotent work returned null; return a value to record");
            response = requireNonNull(codec.encode(value), "the idempotency codec encoded a result as null");
        } catch (Throwable failure) {
            releaseAfter(failure, key, owner);
            throw failure;
        }
        if (!store.complete(key, owner, response, retention)) {
            events.idempotency(IdempotencyEvent.CLAIM_LOST);
            throw new ClaimLostException(key.scope(), lease);
        }
        events.idempotency(IdempotencyEvent.EXECUTED);
        return new IdempotentResult.Executed<>(value);
    }

    private void releaseAfter(Throwable failure, IdempotencyKey key, String owner) {
        try {
            store.release(key, owner);
        } catch (RuntimeException releaseFailure) {
            failure.addSuppressed(releaseFailure);
        }
    }

    private <T> IdempotentResult<T> inProgress(Duration leaseRemaining) {
        events.idempotency(IdempotencyEvent.IN_PROGRESS);
        Duration retryAfter = leaseRemaining.compareTo(MIN_RETRY_AFTER) < 0 ? MIN_RETRY_AFTER : leaseRemaining;
        return new IdempotentResult.InProgress<>(retryAfter);
    }

    /**
     * Configures an {@link Idempotency}. Each option may be set once and is checked as it is set;
     * {@link #build} checks that they fit together. Not thread-safe.
     */
    public static final class Builder {

        private static final Duration DEFAULT_LEASE = Duration.ofSeconds(30);
        private static final Duration DEFAULT_RETENTION = Duration.ofHours(24);

        private final IdempotencyStore store;
        private Duration lease;
        private Duration retention;
        private Events events;

        private Builder(IdempotencyStore store) {
            this.store = store;
        }

        /**
         * How long a claim is protected from takeover while its owner runs the work. Choose it longer
         * than the work's slowest run: an owner that overruns it may be taken over, and then gets
         * {@link ClaimLostException}. Retries meanwhile are told to come back when it ends.
         *
         * @param lease the lease, from 1 ms to 365 days; default 30 seconds
         * @return this builder
         * @throws NullPointerException if {@code lease} is null
         * @throws IllegalArgumentException if {@code lease} is out of range
         * @throws IllegalStateException if the lease was already set
         */
        public Builder lease(Duration lease) {
            SetOnce.requireUnset(this.lease, "lease");
            this.lease = Inputs.requirePositive(lease, "lease");
            return this;
        }

        /**
         * How long a record is kept, counted from its claim while in progress and from its completion
         * once completed. Retries within it are replayed; after it, the same key runs the work anew.
         *
         * @param retention the retention, from 1 ms to 365 days and at least the lease; default 24 hours
         * @return this builder
         * @throws NullPointerException if {@code retention} is null
         * @throws IllegalArgumentException if {@code retention} is out of range
         * @throws IllegalStateException if the retention was already set
         */
        public Builder retention(Duration retention) {
            SetOnce.requireUnset(this.retention, "retention");
            this.retention = Inputs.requirePositive(retention, "retention");
            return this;
        }

        /**
         * Reports how each call ends (executed, replayed, in progress, key reused, claim lost, claim
         * taken over) to {@code listener}, as {@code name}; by default nothing is reported. See
         * {@link io.raceguard.event}.
         *
         * @param name the name these keys are reported as, e.g. {@code "payments"}; never a key
         * @param listener where to report
         * @return this builder
         * @throws NullPointerException if an argument is null
         * @throws IllegalArgumentException if {@code name} is not a valid {@link io.raceguard.event.EventSource} name
         * @throws IllegalStateException if events were already set
         */
        public Builder events(String name, RaceguardListener listener) {
            SetOnce.requireUnset(this.events, "events");
            this.events = Events.of(name, store.getClass(), listener);
            return this;
        }

        /**
         * @return the configured {@link Idempotency}
         * @throws IllegalArgumentException if the retention is shorter than the lease
         */
        public Idempotency build() {
            Duration chosenLease = lease == null ? DEFAULT_LEASE : lease;
            Duration chosenRetention = retention == null ? DEFAULT_RETENTION : retention;
            if (chosenRetention.compareTo(chosenLease) < 0) {
                throw new IllegalArgumentException("retention (" + chosenRetention
                        + ") must be at least the lease (" + chosenLease + ")");
            }
            return new Idempotency(store, chosenLease, chosenRetention, events == null ? Events.none() : events);
        }
    }
}
