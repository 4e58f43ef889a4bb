package io.raceguard.lock;

import static io.raceguard.internal.Inputs.requirePositive;
import static java.util.Objects.requireNonNull;

import io.raceguard.Ticker;
import io.raceguard.event.RaceguardListener;
import io.raceguard.internal.EventRouting;
import io.raceguard.internal.Events;
import io.raceguard.lock.spi.LockBackend;
import java.time.Duration;
import java.util.function.Function;

/**
 * Builds the {@link LockManager} for a {@link LockBackend}. Each option is validated when it is set.
 * Not thread-safe; the manager it builds is.
 */
public final class LockManagerBuilder {

    private final LockBackend backend;
    private Ticker ticker = Ticker.system();
    private Duration minBackoff = Duration.ofMillis(2);
    private Duration maxBackoff = Duration.ofMillis(200);
    private EventRouting events = EventRouting.none();

    LockManagerBuilder(LockBackend backend) {
        this.backend = requireNonNull(backend, "backend");
    }

    /**
     * Sets the monotonic time base of safety deadlines and waits; {@link Ticker#system()} by default.
     * Timers (renewals, deadline watches) wait for ticker differences in real time, so a ticker that
     * moves faster than real time (a test's manual ticker) only makes them look again later.
     *
     * @param ticker the time base
     * @return this builder
     * @throws NullPointerException if {@code ticker} is null
     */
    public LockManagerBuilder ticker(Ticker ticker) {
        this.ticker = requireNonNull(ticker, "ticker");
        return this;
    }

    /**
     * Sets the pauses of {@link LockManager#acquire} between attempts on a busy lock: the ceiling
     * starts at {@code min} and doubles per attempt up to {@code max}, and each pause is drawn at
     * random between {@code min} and the ceiling. Defaults: 2 ms and 200 ms.
     *
     * @param min the smallest pause, at least 1 ms
     * @param max the largest pause, at least {@code min}
     * @return this builder
     * @throws NullPointerException if a duration is null
     * @throws IllegalArgumentException if {@code min} is under 1 ms, {@code max < min}, or either
     *     exceeds {@link io.raceguard.internal.Inputs#MAX_DURATION}
     */
    public LockManagerBuilder backoff(Duration min, Duration max) {
        requirePositive(min, "min");
        requirePositive(max, "max");
        if (max.compareTo(min) < 0) {
            throw new IllegalArgumentException("max must be >= min (" + min + "), was " + max);
        }
        this.minBackoff = min;
        this.maxBackoff = max;
        return this;
    }

    /**
     * Reports what the manager's locks do (acquired, refused, timed out, released, lost, extended) to
     * {@code listener}, as {@code name}; by default nothing is reported. See {@link io.raceguard.event}.
     *
     * @param name the name these locks are reported as, e.g. {@code "checkout"}; never a key
     * @param listener where to report
     * @return this builder
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if {@code name} is not a valid {@link io.raceguard.event.EventSource} name
     */
    public LockManagerBuilder events(String name, RaceguardListener listener) {
        this.events = EventRouting.fixed(Events.of(name, backend.getClass(), listener));
        return this;
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
     */
    public LockManagerBuilder events(Function<String, String> nameOfKey, RaceguardListener listener) {
        this.events = EventRouting.byKey(nameOfKey, backend.getClass(), listener);
        return this;
    }

    /**
     * Builds the manager. The manager owns the backend from now on: {@link LockManager#close()}
     * closes it.
     *
     * @return a new lock manager; it starts no thread until a lease needs renewal or loss notification
     */
    public LockManager build() {
        return new LeaseLockManager(backend, ticker, new Backoff(minBackoff.toNanos(), maxBackoff.toNanos()), events);
    }
}
