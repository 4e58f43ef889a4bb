package io.raceguard.lock;

import static io.raceguard.internal.SetOnce.requireUnset;
import static java.util.Objects.requireNonNull;

import io.raceguard.Ticker;
import io.raceguard.event.EventSource;
import io.raceguard.event.RaceguardListener;
import io.raceguard.internal.Backoff;
import io.raceguard.internal.EventRouting;
import io.raceguard.internal.Events;
import io.raceguard.lock.spi.LockBackend;
import java.time.Duration;
import java.util.function.Function;

/**
 * The options every {@link LockManager} has, whatever its store: the time base and the backoff of
 * waiting. Each backend's builder ({@code RedisLocks.builder}, {@code JdbcLocks.builder}, ...) extends
 * this class with its own options; {@link LockManager#builder(LockBackend)} gives one for a backend
 * of your own.
 *
 * <p>Each option is validated when it is set, and may be set once: setting it again throws {@link
 * IllegalStateException} naming it. Not thread-safe; the manager it builds is.
 *
 * @param <B> the concrete builder, which every setter returns
 */
public abstract class LockManagerBuilder<B extends LockManagerBuilder<B>> {

    private static final Backoff DEFAULT_BACKOFF = new Backoff(Duration.ofMillis(2), Duration.ofMillis(200));

    private Ticker ticker;
    private Backoff backoff;
    private Function<LockBackend, EventRouting> events;

    /** For subclasses: the builders of the backends. */
    protected LockManagerBuilder() {}

    /**
     * Sets the monotonic time base of safety deadlines and waits; {@link Ticker#system()} by default.
     * Timers (renewals, deadline watches) wait for ticker differences in real time, so a ticker that
     * moves faster than real time (a test's manual ticker) only makes them look again later.
     *
     * @param ticker the time base
     * @return this builder
     * @throws NullPointerException if {@code ticker} is null
     * @throws IllegalStateException if the ticker is already set
     */
    public final B ticker(Ticker ticker) {
        requireNonNull(ticker, "ticker");
        requireUnset(this.ticker, "ticker");
        this.ticker = ticker;
        return self();
    }

    /**
     * Sets the pauses of {@link LockManager#acquire} between attempts on a key held elsewhere: the
     * ceiling starts at {@code min} and doubles per attempt up to {@code max}, and each pause is drawn
     * at random between {@code min} and the ceiling. A release through the same manager ends the
     * pause at once. Defaults: 2 ms and 200 ms.
     *
     * @param min the smallest pause, at least 1 ms
     * @param max the largest pause, at least {@code min}
     * @return this builder
     * @throws NullPointerException if a duration is null
     * @throws IllegalArgumentException if {@code min} is under 1 ms, {@code max < min}, or either
     *     exceeds {@link io.raceguard.internal.Inputs#MAX_DURATION}
     * @throws IllegalStateException if the backoff is already set
     */
    public final B backoff(Duration min, Duration max) {
        Backoff chosen = new Backoff(min, max);
        requireUnset(this.backoff, "backoff");
        this.backoff = chosen;
        return self();
    }

    /**
     * Reports what the manager's locks do (acquired, refused, timed out, released, lost, extended) to
     * {@code listener}, as {@code name}; by default nothing is reported. See {@link io.raceguard.event}.
     *
     * @param name the name these locks are reported as, e.g. {@code "checkout"}; never a key
     * @param listener where to report
     * @return this builder
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if {@code name} is not a valid {@link EventSource} name
     * @throws IllegalStateException if the events are already set
     */
    public final B events(String name, RaceguardListener listener) {
        new EventSource(name, "any");
        requireNonNull(listener, "listener");
        requireUnset(this.events, "events");
        this.events = store -> EventRouting.fixed(Events.of(name, store.getClass(), listener));
        return self();
    }

    /**
     * Reports what the manager's locks do to {@code listener}, each under the name {@code nameOfKey}
     * gives its key, so that hot kinds of lock can be told apart. The function must map the unbounded
     * set of keys to a few names ({@code key -> key.substring(0, key.indexOf(':'))}); past
     * {@value io.raceguard.internal.EventRouting#MAX_NAMES} names the rest report as
     * {@code "other"}, and a key it fails to name goes unreported.
     *
     * @param nameOfKey your function from a key to a bounded name (see {@link io.raceguard.event.EventSource})
     * @param listener where to report
     * @return this builder
     * @throws NullPointerException if an argument is null
     * @throws IllegalStateException if the events are already set
     */
    public final B events(Function<String, String> nameOfKey, RaceguardListener listener) {
        requireNonNull(nameOfKey, "nameOfKey");
        requireNonNull(listener, "listener");
        requireUnset(this.events, "events");
        this.events = store -> EventRouting.byKey(nameOfKey, store.getClass(), listener);
        return self();
    }

    /**
     * Builds the manager. The manager owns the backend from now on: {@link LockManager#close()}
     * closes it.
     *
     * @return a new lock manager; it starts no thread until a lease needs renewal or loss notification
     */
    public final LockManager build() {
        LockBackend store = backend();
        EventRouting routing = events == null ? EventRouting.none() : events.apply(store);
        return new LeaseLockManager(store, ticker(), backoff == null ? DEFAULT_BACKOFF : backoff, routing);
    }

    /** @return the time base set with {@link #ticker(Ticker)}, or {@link Ticker#system()} */
    protected final Ticker ticker() {
        return ticker == null ? Ticker.system() : ticker;
    }

    /**
     * Creates the store side from this builder's own options; called once by {@link #build()}.
     *
     * @return a new backend, which the built manager owns
     */
    protected abstract LockBackend backend();

    @SuppressWarnings("unchecked")
    private B self() {
        return (B) this;
    }

    /** The builder of {@link LockManager#builder(LockBackend)}: the backend is given ready-made. */
    static final class OfBackend extends LockManagerBuilder<OfBackend> {
        private final LockBackend backend;

        OfBackend(LockBackend backend) {
            this.backend = requireNonNull(backend, "backend");
        }

        @Override
        protected LockBackend backend() {
            return backend;
        }
    }
}
