package io.raceguard.testing;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * What fails every round, whatever the user's invariants: a call that did not finish, a call that
 * threw, and a lost update among {@link Observed} results. Each is an invariant of its own.
 *
 * <p>A hung or throwing call is checked before the user's invariants, since nothing else about its
 * round can be trusted. The lost update is checked after them: it is how a race happened, while the
 * user's invariant names what it broke (a double spend, a duplicate), and the verdict leads with the
 * first violation.
 */
final class BuiltInChecks {

    private static final List<Invariant<Object>> BEFORE = List.of(
            afterEachRound("no call hangs", BuiltInChecks::stillRunning),
            afterEachRound("no call throws", BuiltInChecks::threw));

    private static final List<Invariant<Object>> AFTER = List.of(
            afterEachRound("no lost update among Observed results", BuiltInChecks::lostUpdate));

    private static final int MAX_VALUES_SHOWN = 5;

    private BuiltInChecks() {}

    /**
     * @param invariants the user's invariants, or what stands for them
     * @param builtIn turns a built-in check into the same kind of element
     * @param <E> the element type: invariants, or their descriptions
     * @return every check of a round in the order they run: the built-in ones around the user's
     */
    static <E> List<E> around(List<? extends E> invariants, Function<Invariant<Object>, ? extends E> builtIn) {
        List<E> all = new ArrayList<>(BEFORE.size() + invariants.size() + AFTER.size());
        BEFORE.forEach(check -> all.add(builtIn.apply(check)));
        all.addAll(invariants);
        AFTER.forEach(check -> all.add(builtIn.apply(check)));
        return List.copyOf(all);
    }

    private static Optional<Violation> stillRunning(Round<?> round) {
        List<? extends CallResult<?>> hung = round.calls().stream().filter(CallResult::stillRunning).toList();
        if (hung.isEmpty()) {
            return Optional.empty();
        }
        String timeout = hung.get(0).failure().map(Throwable::getMessage).orElse("");
        return Optional.of(Violation.of(hung.size() + (hung.size() == 1 ? " call " : " calls ") + timeout
                + " (deadlock, or a call timeout too short)"));
    }

    private static Optional<Violation> threw(Round<?> round) {
        List<? extends CallResult<?>> threw = round.calls().stream()
                .filter(call -> !call.returned() && !call.stillRunning())
                .toList();
        if (threw.isEmpty()) {
            return Optional.empty();
        }
        CallResult<?> first = threw.get(0);
        String more = threw.size() == 1 ? "" : " (and " + (threw.size() - 1) + " more calls threw)";
        return Optional.of(Violation.of("call " + first.worker() + " threw "
                + Words.describe(first.failure().orElseThrow()) + more));
    }

    /** Elle's lost update: several calls read one value and each of them wrote. */
    private static Optional<Violation> lostUpdate(Round<?> round) {
        Map<Object, List<Observed<?>>> writersByRead = new LinkedHashMap<>();
        for (Object value : round.values()) {
            if (value instanceof Observed<?> observed && observed.hasWritten()) {
                writersByRead.computeIfAbsent(observed.read(), read -> new ArrayList<>()).add(observed);
            }
        }
        List<List<Observed<?>>> lost = writersByRead.values().stream().filter(writers -> writers.size() > 1).toList();
        if (lost.isEmpty()) {
            return Optional.empty();
        }
        List<Observed<?>> first = lost.get(0);
        List<String> written = first.stream().map(observed -> Words.shortText(observed.wrote().orElseThrow()))
                .distinct().toList();
        String wrote = written.size() == 1
                ? "each wrote " + written.get(0)
                : "wrote " + String.join(", ", written.subList(0, Math.min(written.size(), MAX_VALUES_SHOWN)))
                        + (written.size() > MAX_VALUES_SHOWN ? ", ..." : "");
        String more = lost.size() == 1 ? "" : "; " + (lost.size() - 1) + " more values were read by several writers";
        return Optional.of(Violation.of(Anomaly.LOST_UPDATE, first.size() + " calls read "
                + Words.shortText(first.get(0).read()) + " and " + wrote + more));
    }

    private static Invariant<Object> afterEachRound(String description, Function<Round<?>, Optional<Violation>> check) {
        return new AfterRound<>(description, check::apply);
    }
}
