package io.raceguard.internal;

import static java.util.Objects.requireNonNull;

import io.raceguard.event.RaceguardListener;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which {@link Events} a primitive reports a key's operations to: always the same ones, or ones
 * named by the user's own function of the key. A function's names are capped at
 * {@value #MAX_NAMES}: later names report as {@value #OVERFLOW_NAME}, so a function that leaks keys
 * cannot grow the number of series without bound. A function that throws or returns an invalid
 * name makes that operation go unreported, never fail. Thread-safe.
 */
public final class EventRouting {

    /** The most names a function may produce before further names report as {@value #OVERFLOW_NAME}. */
    public static final int MAX_NAMES = 100;
    /** The name reported once a function has produced {@value #MAX_NAMES} names. */
    public static final String OVERFLOW_NAME = "other";

    private static final Logger LOG = LoggerFactory.getLogger(EventRouting.class);
    private static final EventRouting NONE = new EventRouting(Events.none(), null, null, null);

    private final Events fixed;
    private final Function<String, String> nameOfKey;
    private final String backend;
    private final RaceguardListener listener;
    private final ConcurrentMap<String, Events> byName = new ConcurrentHashMap<>();
    private final AtomicBoolean warned = new AtomicBoolean();

    private EventRouting(Events fixed, Function<String, String> nameOfKey, String backend,
            RaceguardListener listener) {
        this.fixed = fixed;
        this.nameOfKey = nameOfKey;
        this.backend = backend;
        this.listener = listener;
    }

    /** @return the routing of a primitive nobody listens to */
    public static EventRouting none() {
        return NONE;
    }

    /** @return the routing that reports every key's operations to {@code events} */
    public static EventRouting fixed(Events events) {
        return new EventRouting(requireNonNull(events, "events"), null, null, null);
    }

    /**
     * @param nameOfKey the user's function from a key to a bounded name (see {@link io.raceguard.event.EventSource})
     * @param implementation the backend's implementation class, named as by
     *     {@link Events#of(String, Class, RaceguardListener)}
     * @param listener where to report
     * @return the routing that reports each key's operations under the name the function gives it
     * @throws NullPointerException if an argument is null
     */
    public static EventRouting byKey(Function<String, String> nameOfKey, Class<?> implementation,
            RaceguardListener listener) {
        requireNonNull(nameOfKey, "nameOfKey");
        requireNonNull(listener, "listener");
        return new EventRouting(null, nameOfKey, Events.backendName(implementation), listener);
    }

    /**
     * @param key the key of the operation being reported, already validated by the primitive
     * @return where to report it
     */
    public Events forKey(String key) {
        if (fixed != null) {
            return fixed;
        }
        try {
            return named(requireNonNull(nameOfKey.apply(key), "name"));
        } catch (RuntimeException failure) {
            warnOnce("The function naming keys for events failed; the operation goes unreported", failure);
            return Events.none();
        }
    }

    private Events named(String name) {
        Events events = byName.get(name);
        if (events != null) {
            return events;
        }
        String bounded = name;
        if (byName.size() >= MAX_NAMES) {
            warnOnce("The function naming keys for events gave more than " + MAX_NAMES + " names; the rest report as '"
                    + OVERFLOW_NAME + "'", null);
            bounded = OVERFLOW_NAME;
        }
        return byName.computeIfAbsent(bounded, named -> Events.of(named, backend, listener));
    }

    /** The failure is logged at DEBUG only: its message may quote the name, which may hold a key. */
    private void warnOnce(String message, RuntimeException failure) {
        if (warned.compareAndSet(false, true)) {
            LOG.warn(message);
        }
        if (failure != null) {
            LOG.debug("Naming a key for events failed", failure);
        }
    }
}
