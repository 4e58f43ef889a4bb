package io.raceguard.testing;

import static java.util.Objects.requireNonNull;

import io.raceguard.testing.http.HttpRace;
import java.net.URI;
import java.util.concurrent.Callable;

/**
 * Fires many calls at once at the code under test, round after round, and checks after each round
 * that the state changed exactly as often as it should.
 *
 * <pre>{@code
 * hammer.times(20).rounds(50)
 *       .beforeEachRound(() -> coupons.reset("SAVE20", 1))
 *       .fire(i -> coupons.redeem("SAVE20", "user-" + i))
 *       .expect(Invariant.exactly(1, "applied", Outcome::isApplied));
 * // HammerFailure: round 3 of 50 failed: double spend: 2 applied (expected exactly 1);
 * //                median release skew 41 us; smallest failing N: 2
 * }</pre>
 *
 * <p>Each round starts one worker thread per call, parks them all behind one gate, then releases them
 * together; each worker reads {@link System#nanoTime()} as soon as it is released, and the spread of
 * those readings is the round's release skew, reported as the race window actually achieved. Workers
 * are virtual threads on Java 21 and later, platform threads on Java 17 to 20, unless
 * {@link #onVirtualThreads()} or {@link #onPlatformThreads()} says otherwise. Virtual threads overlap
 * best when the calls block on I/O (a database, a socket); for CPU-bound calls, no more calls run at
 * once than there are cores, and the report warns when it sees that on platform threads.
 *
 * <p>Get one from {@link HammerExtension} as a test parameter (it reports to the test), or from
 * {@link #create()}. Immutable and thread-safe: every option returns a changed copy.
 */
public final class Hammer extends AbstractHammer<Hammer> {

    private Hammer(HammerSettings settings) {
        super(settings);
    }

    /** @return a hammer with the defaults: 20 calls, 50 rounds within 1 minute, no reporter */
    public static Hammer create() {
        return new Hammer(HammerSettings.DEFAULTS);
    }

    static Hammer of(HammerSettings settings) {
        return new Hammer(settings);
    }

    @Override
    Hammer with(HammerSettings settings) {
        return new Hammer(settings);
    }

    /**
     * @return a copy running its workers on virtual threads
     * @throws IllegalStateException if this JVM has no virtual threads (before Java 21)
     */
    public Hammer onVirtualThreads() {
        return with(settings.withThreads(ThreadChoice.VIRTUAL));
    }

    /** @return a copy running its workers on platform threads, one per call */
    public Hammer onPlatformThreads() {
        return with(settings.withThreads(ThreadChoice.PLATFORM));
    }

    /**
     * @param call what every worker calls once per round
     * @param <T> the type of value the call returns
     * @return the calls, ready for {@link Hammering#expect} or {@link Hammering#check}
     * @throws NullPointerException if {@code call} is null
     */
    public <T> Hammering<T> fire(Callable<? extends T> call) {
        requireNonNull(call, "call");
        return fire(worker -> call.call());
    }

    /**
     * @param call what every worker calls once per round, told its index so that each can act as its
     *     own user: {@code i -> shop.redeem("SAVE20", "user-" + i)}
     * @param <T> the type of value the call returns
     * @return the calls, ready for {@link Hammering#expect} or {@link Hammering#check}
     * @throws NullPointerException if {@code call} is null
     */
    public <T> Hammering<T> fire(Call<? extends T> call) {
        requireNonNull(call, "call");
        return new Hammering<>(settings,
                new InProcessVolley<T>(call, WorkerThreads.choose(settings.threads()), settings.callTimeout()));
    }

    /**
     * @param base the server, {@code http://host:port} or {@code https://...}
     * @return a hammer that sends HTTP/1.1 requests there, with this hammer's options
     * @throws NullPointerException if {@code base} is null
     * @throws IllegalArgumentException if {@code base} is not an {@code http} or {@code https} URI with a host
     */
    public HttpHammer http(URI base) {
        return http(HttpRace.to(requireNonNull(base, "base")));
    }

    /**
     * @param race the server and the transport's options: TLS trust, timeouts, an arrival header,
     *     a connection limit that models the pool
     * @return a hammer that sends HTTP/1.1 requests through it, with this hammer's options
     * @throws NullPointerException if {@code race} is null
     */
    public HttpHammer http(HttpRace race) {
        return new HttpHammer(settings, race);
    }
}
