package io.raceguard.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.raceguard.Outcome;
import io.raceguard.Rejection;
import java.sql.SQLTransactionRollbackException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Each invariant's verdict and anomaly label on rounds built by hand. */
final class InvariantTest {

    private static final Outcome<Long> APPLIED = new Outcome.Applied<>(1L);
    private static final Outcome<Long> REJECTED = new Outcome.Rejected<>(Rejection.CONDITION_FAILED, "");

    @Test
    void shouldLabelTwoAppliedWhereOneIsAllowedADoubleSpend() throws Exception {
        Round<Outcome<Long>> round = round(APPLIED, APPLIED, REJECTED);

        assertThat(check(Invariant.exactly(1, "applied", Outcome::isApplied), round))
                .hasValue(Violation.of(Anomaly.DOUBLE_SPEND, "2 applied (expected exactly 1)"));
        assertThat(check(Invariant.atMost(1, "applied", Outcome::isApplied), round))
                .hasValue(Violation.of(Anomaly.DOUBLE_SPEND, "2 applied (expected at most 1)"));
    }

    @Test
    void shouldLabelAnExcessOverALargerLimitALimitOverrun() throws Exception {
        Round<Outcome<Long>> round = round(APPLIED, APPLIED, APPLIED, REJECTED);

        assertThat(check(Invariant.atMost(2, "applied", Outcome::isApplied), round))
                .hasValue(Violation.of(Anomaly.LIMIT_OVERRUN, "3 applied (expected at most 2)"));
        assertThat(check(Invariant.exactly(2, Outcome::isApplied), round))
                .hasValue(Violation.of(Anomaly.LIMIT_OVERRUN, "3 matching (expected exactly 2)"));
    }

    @Test
    void shouldNotLabelTooFewOrAForbiddenResult() throws Exception {
        Round<Outcome<Long>> round = round(REJECTED, REJECTED);

        assertThat(check(Invariant.exactly(1, "applied", Outcome::isApplied), round))
                .hasValue(Violation.of("0 applied (expected exactly 1)"));
        assertThat(check(Invariant.none("rejected", outcome -> !outcome.isApplied()), round))
                .hasValue(Violation.of("2 rejected (expected none)"));
        assertThat(check(Invariant.atMost(2, Outcome::isApplied), round)).isEmpty();
    }

    @Test
    void shouldLabelARepeatedKeyADuplicate() throws Exception {
        Round<String> round = round("order-1", "order-2", "order-1", "order-3", "order-3", "order-1");

        assertThat(check(Invariant.unique("order number", order -> order), round)).hasValue(Violation.of(
                Anomaly.DUPLICATE, "order number order-1 returned by 3 calls, and 1 more repeated (expected unique)"));
        assertThat(check(Invariant.unique(order -> order), round("a", "b"))).isEmpty();
    }

    @Test
    void shouldCompareAHistogramKeyByKeyWithMissingKeysCountedZero() throws Exception {
        Invariant<Integer> statuses = Invariant.histogram("status", status -> status, Map.of(201, 1, 409, 2, 500, 0));

        assertThat(check(statuses, round(409, 201, 409))).isEmpty();
        assertThat(check(statuses, round(201, 201, 409))).hasValue(
                Violation.of("status 201: 2, 409: 1 (expected 201: 1, 409: 2, 500: 0)"));
        assertThat(check(statuses, round(201, 409, 409, 1000))).hasValue(
                Violation.of("status 201: 1, 409: 2, 1000: 1 (expected 201: 1, 409: 2, 500: 0)"));
        assertThat(statuses.description()).isEqualTo("status 201: 1, 409: 2, 500: 0");
    }

    @Test
    void shouldCompareTheSumBeforeAndAfterTheRoundExactly() throws Exception {
        AtomicLong total = new AtomicLong(100);
        Invariant<Object> conserved = Invariant.conserved("balance total", total::get);

        Invariant.Check<Object> kept = conserved.beforeRound();
        assertThat(kept.afterRound(round("transfer"))).isEmpty();

        Invariant.Check<Object> broken = conserved.beforeRound();
        total.addAndGet(30);
        assertThat(broken.afterRound(round("transfer"))).hasValue(
                Violation.of("balance total 100 before the round, 130 after (expected conserved)"));

        Invariant.Check<Object> decimals = Invariant.conserved("ratio", () -> 0.1).beforeRound();
        assertThat(decimals.afterRound(round("none"))).isEmpty();
    }

    @Test
    void shouldTurnAFailedAssertionIntoAViolationOnOneLine() throws Exception {
        Invariant<String> assertion = Invariant.that("every call says ok",
                round -> assertThat(round.values()).as("values").containsOnly("ok"));

        assertThat(check(assertion, round("ok", "ok"))).isEmpty();
        Optional<Violation> violation = check(assertion, round("ok", "no"));
        assertThat(violation).isPresent();
        assertThat(violation.get().message()).startsWith("every call says ok: [values] Expecting ArrayList:")
                .doesNotContain("\n");
        assertThat(violation.get().anomaly()).isEmpty();
    }

    @Test
    void shouldLabelTwoWritersOfOneReadValueALostUpdate() throws Exception {
        Round<Observed<Long>> round = round(Observed.readWrote(5L, 4L), Observed.readWrote(5L, 4L),
                Observed.readOnly(4L), Observed.readWrote(4L, 3L));

        assertThat(builtIn(round))
                .containsExactly(Violation.of(Anomaly.LOST_UPDATE, "2 calls read 5 and each wrote 4"));
        assertThat(builtIn(round(Observed.readWrote(5L, 3L), Observed.readWrote(5L, 4L), Observed.readWrote(3L, 2L))))
                .containsExactly(Violation.of(Anomaly.LOST_UPDATE, "2 calls read 5 and wrote 3, 4"));
        assertThat(builtIn(round(Observed.readWrote(5L, 4L), Observed.readWrote(4L, 3L),
                Observed.readOnly(3L), Observed.readOnly(3L)))).isEmpty();
    }

    @Test
    void shouldFailARoundWhereACallThrewOrHung() throws Exception {
        List<CallResult<String>> calls = new ArrayList<>();
        calls.add(CallResult.returned(0, "ok", 0, 1, -1));
        calls.add(CallResult.threw(1, new IllegalStateException("no stock\nsecond line"), 0, 1, -1));
        calls.add(CallResult.threw(2, new IllegalStateException(), 0, 1, -1));
        calls.add(CallResult.stillRunning(3, new TimeoutException("still running after 30 s"), 0, 1));

        assertThat(builtIn(Round.measured(1, calls))).containsExactly(
                Violation.of("1 call still running after 30 s (deadlock, or a call timeout too short)"),
                Violation.of("call 1 threw IllegalStateException: no stock (and 1 more calls threw)"));
    }

    @Test
    void shouldKeepTheSimpleNameAndTheStartOfTheMessageOfAnExceptionThatAWrapperQuotes() throws Exception {
        SQLTransactionRollbackException deadlock = new SQLTransactionRollbackException(
                "(conn=1234) Deadlock found when trying to get lock; try restarting transaction", "40001", 1213);
        Throwable wrapped = new UnableToExecuteStatementException(deadlock + " [statement:\"INSERT INTO signups"
                + " (email) VALUES (?)\"]", deadlock);

        assertThat(builtIn(Round.measured(1, List.of(CallResult.threw(0, wrapped, 0, 1, -1))))).containsExactly(
                Violation.of("call 0 threw UnableToExecuteStatementException: SQLTransactionRollbackException:"
                        + " (conn=1234) Deadlock found when trying to get lock; try restarti..."));
        Throwable quoting = new RuntimeException(new SQLTransactionRollbackException("Deadlock found"));
        assertThat(builtIn(Round.measured(1, List.of(CallResult.threw(0, quoting, 0, 1, -1))))).containsExactly(
                Violation.of("call 0 threw RuntimeException: SQLTransactionRollbackException: Deadlock found"));
    }

    @Test
    void shouldRefuseBadArgumentsAtOnce() {
        assertThatThrownBy(() -> Invariant.<Outcome<Long>>exactly(-1, Outcome::isApplied))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("n");
        assertThatThrownBy(() -> Invariant.<Outcome<Long>>atMost(1, " ", Outcome::isApplied))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("what");
        assertThatThrownBy(() -> Invariant.none(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> Invariant.histogram("status", status -> status, Map.of(200, -1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("200");
        assertThatThrownBy(() -> Invariant.that("", round -> {})).isInstanceOf(IllegalArgumentException.class);
    }

    /** Stands for a data-access library's wrapper, which quotes its cause in its own message. */
    private static final class UnableToExecuteStatementException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        UnableToExecuteStatementException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    @SafeVarargs
    private static <T> Round<T> round(T... values) {
        List<CallResult<T>> calls = new ArrayList<>();
        for (int worker = 0; worker < values.length; worker++) {
            calls.add(CallResult.returned(worker, values[worker], worker, 1, -1));
        }
        return Round.measured(1, calls);
    }

    private static List<Violation> builtIn(Round<?> round) throws Exception {
        List<Violation> violations = new ArrayList<>();
        List<Invariant<Object>> builtInChecks = BuiltInChecks.around(List.of(), builtInCheck -> builtInCheck);
        for (Invariant<Object> check : builtInChecks) {
            check.beforeRound().afterRound(round).ifPresent(violations::add);
        }
        return violations;
    }

    private static <T> Optional<Violation> check(Invariant<? super T> invariant, Round<T> round) throws Exception {
        return invariant.beforeRound().afterRound(round);
    }
}
