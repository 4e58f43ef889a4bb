package io.raceguard.testing;

/**
 * A hammer run found a round that broke an invariant. The message starts with the one-line verdict,
 * followed by the failing rounds, the shrink and the release skew; the cause, if any, is the first
 * exception a call threw.
 */
public final class HammerFailure extends AssertionError {
    private static final long serialVersionUID = 1L;

    private final transient HammerReport<?> report;

    HammerFailure(HammerReport<?> report) {
        super(report.verdict() + System.lineSeparator() + ReportText.summary(report), firstCallFailure(report));
        this.report = report;
    }

    /** @return the full report; {@code null} only after the exception went through Java serialization */
    public HammerReport<?> report() {
        return report;
    }

    private static Throwable firstCallFailure(HammerReport<?> report) {
        return report.failedRounds().stream()
                .flatMap(round -> round.round().failedCalls().stream())
                .flatMap(call -> call.failure().stream())
                .findFirst()
                .orElse(null);
    }
}
