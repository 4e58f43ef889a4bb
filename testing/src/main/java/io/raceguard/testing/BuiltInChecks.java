package io.raceguard.testing;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What fails every round, whatever the invariants: a call that threw, a call that did not finish,
 * and a lost update among {@link Observed} results.
 */
final class BuiltInChecks {

    private static final int MAX_VALUES_SHOWN = 5;

    private BuiltInChecks() {}

    /**
     * @param round a finished round
     * @return its violations, empty if none
     */
    static List<Violation> check(Round<?> round) {
        List<Violation> violations = new ArrayList<>(2);
        stillRunning(round, violations);
        threw(round, violations);
        lostUpdate(round, violations);
        return violations;
    }

    private static void stillRunning(Round<?> round, List<Violation> violations) {
        List<? extends CallResult<?>> hung = round.calls().stream().filter(CallResult::stillRunning).toList();
        if (!hung.isEmpty()) {
            String timeout = hung.get(0).failure().map(Throwable::getMessage).orElse("");
            violations.add(Violation.of(hung.size() + (hung.size() == 1 ? " call " : " calls ") + timeout
                    + " (deadlock, or a call timeout too short)"));
        }
    }

    private static void threw(Round<?> round, List<Violation> violations) {
        List<? extends CallResult<?>> threw = round.calls().stream()
                .filter(call -> !call.returned() && !call.stillRunning())
                .toList();
        if (!threw.isEmpty()) {
            CallResult<?> first = threw.get(0);
            String more = threw.size() == 1 ? "" : " (and " + (threw.size() - 1) + " more calls threw)";
            violations.add(Violation.of("call " + first.worker() + " threw "
                    + Words.describe(first.failure().orElseThrow()) + more));
        }
    }

    /** Elle's lost update: several calls read one value and each of them wrote. */
    private static void lostUpdate(Round<?> round, List<Violation> violations) {
        Map<Object, List<Observed<?>>> writersByRead = new LinkedHashMap<>();
        for (Object value : round.values()) {
            if (value instanceof Observed<?> observed && observed.hasWritten()) {
                writersByRead.computeIfAbsent(observed.read(), read -> new ArrayList<>()).add(observed);
            }
        }
        List<List<Observed<?>>> lost = writersByRead.values().stream().filter(writers -> writers.size() > 1).toList();
        if (lost.isEmpty()) {
            return;
        }
        List<Observed<?>> first = lost.get(0);
        List<String> written = first.stream().map(observed -> Words.shortText(observed.wrote().orElseThrow()))
                .distinct().toList();
        String wrote = written.size() == 1
                ? "each wrote " + written.get(0)
                : "wrote " + String.join(", ", written.subList(0, Math.min(written.size(), MAX_VALUES_SHOWN)))
                        + (written.size() > MAX_VALUES_SHOWN ? ", ..." : "");
        String more = lost.size() == 1 ? "" : "; " + (lost.size() - 1) + " more values were read by several writers";
        violations.add(Violation.of(Anomaly.LOST_UPDATE, first.size() + " calls read "
                + Words.shortText(first.get(0).read()) + " and " + wrote + more));
    }
}
