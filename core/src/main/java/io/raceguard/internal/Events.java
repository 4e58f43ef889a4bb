package io.raceguard.internal;

import static java.util.Objects.requireNonNull;

import io.raceguard.event.EventSource;
import io.raceguard.event.IdempotencyEvent;
import io.raceguard.event.RaceguardListener;
import io.raceguard.event.RetryCause;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One primitive's reporting to its {@link RaceguardListener}: the source it reports as, and a guard
 * that keeps a throwing listener from breaking the primitive (logged at DEBUG, never with a key).
 * Immutable and thread-safe.
 */
public final class Events {

    private static final Logger LOG = LoggerFactory.getLogger(Events.class);
    private static final Events NONE = new Events(new EventSource("none", "none"), RaceguardListener.none());

    private final EventSource source;
    private final RaceguardListener listener;

    private Events(EventSource source, RaceguardListener listener) {
        this.source = source;
        this.listener = listener;
    }

    /** @return the reporting of a primitive nobody listens to */
    public static Events none() {
        return NONE;
    }

    /**
     * @param name the user's name for the primitive (see {@link EventSource})
     * @param backend the backend's name
     * @param listener where to report
     * @return the reporting of that primitive
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if the name or backend is not a valid {@link EventSource} part
     */
    public static Events of(String name, String backend, RaceguardListener listener) {
        return new Events(new EventSource(name, backend), requireNonNull(listener, "listener"));
    }

    /**
     * @param name the user's name for the primitive (see {@link EventSource})
     * @param implementation the backend's implementation class, named by its module: {@code "jdbc"},
     *     {@code "redis"}, {@code "inmemory"} for core's own, else its simple class name
     * @param listener where to report
     * @return the reporting of that primitive
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if the name is not a valid {@link EventSource} name
     */
    public static Events of(String name, Class<?> implementation, RaceguardListener listener) {
        return of(name, backendName(implementation), listener);
    }

    static String backendName(Class<?> implementation) {
        String packageName = implementation.getPackageName();
        if (packageName.equals("io.raceguard.jdbc") || packageName.equals("io.raceguard.redis")) {
            return packageName.substring("io.raceguard.".length());
        }
        if (packageName.startsWith("io.raceguard.")) {
            return "inmemory";
        }
        String simpleName = implementation.getSimpleName().replace('$', '_');
        return simpleName.isEmpty() ? "custom" : simpleName.substring(0, Math.min(simpleName.length(), 64));
    }

    /** @return whether anyone listens: primitives skip work done only to report, such as reading the clock */
    public boolean listening() {
        return listener != RaceguardListener.none();
    }

    /** @return the source these events report as */
    public EventSource source() {
        return source;
    }

    public void lockAcquired(long waitNanos) {
        try {
            listener.lockAcquired(source, waitNanos);
        } catch (RuntimeException failure) {
            ignore(failure);
        }
    }

    public void lockRefused() {
        try {
            listener.lockRefused(source);
        } catch (RuntimeException failure) {
            ignore(failure);
        }
    }

    public void lockTimedOut(long waitNanos) {
        try {
            listener.lockTimedOut(source, waitNanos);
        } catch (RuntimeException failure) {
            ignore(failure);
        }
    }

    public void lockReleased(long holdNanos) {
        try {
            listener.lockReleased(source, holdNanos);
        } catch (RuntimeException failure) {
            ignore(failure);
        }
    }

    public void lockLost() {
        report(RaceguardListener::lockLost);
    }

    public void lockExtended() {
        report(RaceguardListener::lockExtended);
    }

    public void staleFenceRefused() {
        report(RaceguardListener::staleFenceRefused);
    }

    public void idempotency(IdempotencyEvent event) {
        try {
            listener.idempotency(source, event);
        } catch (RuntimeException failure) {
            ignore(failure);
        }
    }

    public void rateLimit(boolean allowed) {
        try {
            listener.rateLimit(source, allowed);
        } catch (RuntimeException failure) {
            ignore(failure);
        }
    }

    public void counter(boolean applied) {
        try {
            listener.counter(source, applied);
        } catch (RuntimeException failure) {
            ignore(failure);
        }
    }

    public void transactionAttempt() {
        report(RaceguardListener::transactionAttempt);
    }

    public void transactionRetried(RetryCause cause) {
        try {
            listener.transactionRetried(source, cause);
        } catch (RuntimeException failure) {
            ignore(failure);
        }
    }

    public void transactionExhausted() {
        report(RaceguardListener::transactionExhausted);
    }

    public void transactionOutcomeUnknown() {
        report(RaceguardListener::transactionOutcomeUnknown);
    }

    /** For the events without a value: a non-capturing method reference, so nothing is allocated. */
    private void report(Reporting event) {
        try {
            event.report(listener, source);
        } catch (RuntimeException failure) {
            ignore(failure);
        }
    }

    private void ignore(RuntimeException failure) {
        LOG.debug("The Raceguard listener of {} threw; the operation carries on", source.name(), failure);
    }

    @FunctionalInterface
    private interface Reporting {
        void report(RaceguardListener listener, EventSource source);
    }
}
