package io.raceguard.micrometer;

import static java.util.Objects.requireNonNull;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.raceguard.event.EventSource;
import io.raceguard.event.IdempotencyEvent;
import io.raceguard.event.RaceguardListener;
import io.raceguard.event.RetryCause;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Records Raceguard's events as meters named {@code raceguard.<primitive>.<event>}, each tagged with
 * the primitive's {@code name} and {@code backend} (see {@link EventSource}) and, where an event has
 * several outcomes, {@code outcome} or {@code cause}. Keys are never tags: events carry none.
 *
 * <table>
 *   <caption>Meters</caption>
 *   <tr><th>meter</th><th>type</th><th>extra tag</th></tr>
 *   <tr><td>{@code raceguard.lock.acquired}</td><td>timer of the wait, with histogram</td><td></td></tr>
 *   <tr><td>{@code raceguard.lock.refused}</td><td>counter ({@code tryAcquire} found it held)</td><td></td></tr>
 *   <tr><td>{@code raceguard.lock.timed.out}</td><td>counter ({@code acquire} gave up)</td><td></td></tr>
 *   <tr><td>{@code raceguard.lock.held}</td><td>timer of the hold, with histogram</td><td></td></tr>
 *   <tr><td>{@code raceguard.lock.lost}</td><td>counter</td><td></td></tr>
 *   <tr><td>{@code raceguard.lock.extended}</td><td>counter</td><td></td></tr>
 *   <tr><td>{@code raceguard.fence.refused}</td><td>counter of stale fencing tokens</td><td></td></tr>
 *   <tr><td>{@code raceguard.idempotency.requests}</td><td>counter</td><td>{@code outcome}: {@code executed},
 *       {@code replayed}, {@code in_progress}, {@code key_reused}, {@code claim_lost},
 *       {@code claim_taken_over}</td></tr>
 *   <tr><td>{@code raceguard.ratelimit.decisions}</td><td>counter</td><td>{@code outcome}: {@code allowed},
 *       {@code refused}</td></tr>
 *   <tr><td>{@code raceguard.counter.updates}</td><td>counter</td><td>{@code outcome}: {@code applied},
 *       {@code rejected}</td></tr>
 *   <tr><td>{@code raceguard.transaction.attempts}</td><td>counter</td><td></td></tr>
 *   <tr><td>{@code raceguard.transaction.retries}</td><td>counter</td><td>{@code cause}: {@code serialization},
 *       {@code deadlock}, {@code lock_timeout}</td></tr>
 *   <tr><td>{@code raceguard.transaction.exhausted}</td><td>counter</td><td></td></tr>
 *   <tr><td>{@code raceguard.transaction.commit.unknown}</td><td>counter</td><td></td></tr>
 * </table>
 *
 * <p>A primitive's meters are registered the first time it reports, all of its kind at once, so an
 * alert on a rate sees zero rather than no data. They are then looked up in a map keyed by the
 * primitive's source, without building tags again. Thread-safe. A registry that throws never breaks
 * the primitive: the primitive logs the failure at DEBUG and carries on.
 */
public final class RaceguardMeters implements RaceguardListener {

    private static final int ALLOWED = 0;
    private static final int REFUSED = 1;
    private static final int APPLIED = 0;
    private static final int REJECTED = 1;

    private final ConcurrentMap<EventSource, LockMeters> locks = new ConcurrentHashMap<>();
    private final ConcurrentMap<EventSource, Counter> fences = new ConcurrentHashMap<>();
    private final ConcurrentMap<EventSource, OutcomeMeters> idempotency = new ConcurrentHashMap<>();
    private final ConcurrentMap<EventSource, OutcomeMeters> rateLimits = new ConcurrentHashMap<>();
    private final ConcurrentMap<EventSource, OutcomeMeters> counters = new ConcurrentHashMap<>();
    private final ConcurrentMap<EventSource, TransactionMeters> transactions = new ConcurrentHashMap<>();

    // created once, so that looking meters up allocates nothing
    private final Function<EventSource, LockMeters> newLockMeters;
    private final Function<EventSource, Counter> newFenceMeter;
    private final Function<EventSource, OutcomeMeters> newIdempotencyMeters;
    private final Function<EventSource, OutcomeMeters> newRateLimitMeters;
    private final Function<EventSource, OutcomeMeters> newCounterMeters;
    private final Function<EventSource, TransactionMeters> newTransactionMeters;

    private RaceguardMeters(MeterRegistry registry) {
        newLockMeters = source -> LockMeters.register(registry, source);
        newFenceMeter = source -> SourceMeters.counter(registry, source, "raceguard.fence.refused",
                "Writes refused because their fencing token was stale");
        newIdempotencyMeters = source -> OutcomeMeters.register(registry, "raceguard.idempotency.requests",
                "Idempotent calls by how they ended", source, "outcome",
                OutcomeMeters.tagValues(IdempotencyEvent.values()));
        newRateLimitMeters = source -> OutcomeMeters.register(registry, "raceguard.ratelimit.decisions",
                "Rate-limit decisions", source, "outcome", "allowed", "refused");
        newCounterMeters = source -> OutcomeMeters.register(registry, "raceguard.counter.updates",
                "Counter takes and adds, applied or rejected by their condition", source, "outcome",
                "applied", "rejected");
        newTransactionMeters = source -> TransactionMeters.register(registry, source);
    }

    /**
     * @param registry where to register the meters
     * @return a listener recording every event it is given in {@code registry}
     * @throws NullPointerException if {@code registry} is null
     */
    public static RaceguardMeters of(MeterRegistry registry) {
        return new RaceguardMeters(requireNonNull(registry, "registry"));
    }

    @Override
    public void lockAcquired(EventSource source, long waitNanos) {
        meters(locks, source, newLockMeters).acquired().record(waitNanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void lockRefused(EventSource source) {
        meters(locks, source, newLockMeters).refused().increment();
    }

    @Override
    public void lockTimedOut(EventSource source, long waitNanos) {
        meters(locks, source, newLockMeters).timedOut().increment();
    }

    @Override
    public void lockReleased(EventSource source, long holdNanos) {
        meters(locks, source, newLockMeters).held().record(holdNanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void lockLost(EventSource source) {
        meters(locks, source, newLockMeters).lost().increment();
    }

    @Override
    public void lockExtended(EventSource source) {
        meters(locks, source, newLockMeters).extended().increment();
    }

    @Override
    public void staleFenceRefused(EventSource source) {
        meters(fences, source, newFenceMeter).increment();
    }

    @Override
    public void idempotency(EventSource source, IdempotencyEvent event) {
        meters(idempotency, source, newIdempotencyMeters).increment(event.ordinal());
    }

    @Override
    public void rateLimit(EventSource source, boolean allowed) {
        meters(rateLimits, source, newRateLimitMeters).increment(allowed ? ALLOWED : REFUSED);
    }

    @Override
    public void counter(EventSource source, boolean applied) {
        meters(counters, source, newCounterMeters).increment(applied ? APPLIED : REJECTED);
    }

    @Override
    public void transactionAttempt(EventSource source) {
        meters(transactions, source, newTransactionMeters).attempts().increment();
    }

    @Override
    public void transactionRetried(EventSource source, RetryCause cause) {
        meters(transactions, source, newTransactionMeters).retries().increment(cause.ordinal());
    }

    @Override
    public void transactionExhausted(EventSource source) {
        meters(transactions, source, newTransactionMeters).exhausted().increment();
    }

    @Override
    public void transactionOutcomeUnknown(EventSource source) {
        meters(transactions, source, newTransactionMeters).commitUnknown().increment();
    }

    private static <M> M meters(ConcurrentMap<EventSource, M> registered, EventSource source,
            Function<EventSource, M> register) {
        M meters = registered.get(source);
        return meters != null ? meters : registered.computeIfAbsent(source, register);
    }
}
