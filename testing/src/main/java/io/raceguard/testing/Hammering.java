package io.raceguard.testing;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;

/**
 * The calls a hammer is about to fire, waiting for the invariants they must keep. Nothing runs until
 * {@link #check} or {@link #expect}; each of those starts a new run of rounds.
 *
 * <p>Immutable. A run blocks the calling thread; runs of one instance may go on in several threads
 * at once only if the call and the reset hook allow it.
 *
 * @param <T> the type of value each call returns
 */
public final class Hammering<T> {

    private final HammerSettings settings;
    private final Volley<T> volley;

    Hammering(HammerSettings settings, Volley<T> volley) {
        this.settings = requireNonNull(settings, "settings");
        this.volley = requireNonNull(volley, "volley");
    }

    /**
     * Runs the rounds and returns what they found, failing or not. Besides the given invariants, every
     * round fails if a call throws or hangs, or if {@link Observed} results show a lost update.
     *
     * @param invariants what every round must keep; none means only the built-in checks
     * @return the report, also published to the test's reporter
     * @throws NullPointerException if an invariant is null
     * @throws HammerException if the reset hook threw, an invariant could not read its state, or the
     *     workers could not be started
     */
    @SafeVarargs
    public final HammerReport<T> check(Invariant<? super T>... invariants) {
        List<Invariant<? super T>> list = new ArrayList<>(invariants.length);
        for (Invariant<? super T> invariant : invariants) {
            list.add(invariant);
        }
        return check(list);
    }

    /**
     * {@link #check(Invariant...)} with the invariants in a list, so that a group of them can be named
     * once and shared between tests.
     *
     * @param invariants what every round must keep, in the order they are checked; empty means only the
     *     built-in checks
     * @return the report, also published to the test's reporter
     * @throws NullPointerException if the list or an invariant in it is null
     * @throws HammerException if the run could not be carried out
     */
    public HammerReport<T> check(List<? extends Invariant<? super T>> invariants) {
        requireNonNull(invariants, "invariants");
        List<Invariant<? super T>> list = new ArrayList<>(invariants.size());
        for (Invariant<? super T> invariant : invariants) {
            list.add(requireNonNull(invariant, "invariant"));
        }
        return new RoundRunner<>(settings, volley, list).run();
    }

    /**
     * Runs the rounds like {@link #check} and fails if any round broke an invariant.
     *
     * @param invariants what every round must keep
     * @return the report of a clean run
     * @throws HammerFailure if a round broke an invariant; its message starts with the one-line verdict
     * @throws NullPointerException if an invariant is null
     * @throws HammerException if the run could not be carried out
     */
    @SafeVarargs
    public final HammerReport<T> expect(Invariant<? super T>... invariants) {
        return throwIfFailed(check(invariants));
    }

    /**
     * {@link #expect(Invariant...)} with the invariants in a list, so that a group of them can be named
     * once and shared between tests without a generic array:
     * {@code List<Invariant<Outcome<Long>>> soldOut = List.of(exactly(5, "sold", Outcome::isApplied), ...)}.
     *
     * @param invariants what every round must keep, in the order they are checked
     * @return the report of a clean run
     * @throws HammerFailure if a round broke an invariant; its message starts with the one-line verdict
     * @throws NullPointerException if the list or an invariant in it is null
     * @throws HammerException if the run could not be carried out
     */
    public HammerReport<T> expect(List<? extends Invariant<? super T>> invariants) {
        return throwIfFailed(check(invariants));
    }

    private HammerReport<T> throwIfFailed(HammerReport<T> report) {
        if (report.failed()) {
            throw new HammerFailure(report);
        }
        return report;
    }
}
