package io.raceguard.testing;

import java.math.BigDecimal;
import java.util.Optional;

/**
 * The sum of a column over a {@link Table}'s rows (0 when there are none), read after each round, and
 * before it where the invariant compares: {@code Table.of(dataSource, "accounts").sumOf("balance")}.
 * Sums are compared exactly, as decimals.
 *
 * <p>Immutable and thread-safe.
 */
public final class ColumnSum {

    private final Table table;
    private final String column;

    ColumnSum(Table table, String column) {
        this.table = table;
        this.column = column;
    }

    /**
     * @param expected the sum after every round
     * @return the invariant
     * @throws NullPointerException if {@code expected} is null
     * @throws IllegalArgumentException if it is NaN or infinite
     */
    public Invariant<Object> isEqualTo(Number expected) {
        BigDecimal value = Decimals.of(expected, "expected");
        return after("= " + value.toPlainString(), sum -> sum.compareTo(value) == 0
                ? Optional.empty()
                : Optional.of(Violation.of(describe() + " is " + sum.toPlainString() + " (expected "
                        + value.toPlainString() + ")")));
    }

    /**
     * The sum stays within bounds after every round (stock never below zero, uses never above the
     * limit); leaving them is labelled a limit overrun.
     *
     * @param min the least sum allowed
     * @param max the greatest sum allowed, at least {@code min}
     * @return the invariant
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if a bound is NaN or infinite, or {@code min > max}
     */
    public Invariant<Object> staysWithin(Number min, Number max) {
        BigDecimal low = Decimals.of(min, "min");
        BigDecimal high = Decimals.of(max, "max");
        if (low.compareTo(high) > 0) {
            throw new IllegalArgumentException("min must be <= max, was " + low.toPlainString() + " > "
                    + high.toPlainString());
        }
        String range = "[" + low.toPlainString() + ", " + high.toPlainString() + "]";
        return after("within " + range, sum -> sum.compareTo(low) >= 0 && sum.compareTo(high) <= 0
                ? Optional.empty()
                : Optional.of(Violation.of(Anomaly.LIMIT_OVERRUN, describe() + " is " + sum.toPlainString()
                        + " (expected within " + range + ")")));
    }

    /** @return an invariant that the sum after each round equals the sum before it */
    public Invariant<Object> isConserved() {
        return Invariant.conserved(describe(), () -> table.sum(column));
    }

    private String describe() {
        return "sum of " + column + " in " + table;
    }

    private Invariant<Object> after(String demand, SumCheck check) {
        return new AfterRound<>(describe() + " " + demand, round -> check.check(table.sum(column)));
    }

    @FunctionalInterface
    private interface SumCheck {
        Optional<Violation> check(BigDecimal sum);
    }

    @Override
    public String toString() {
        return describe();
    }
}
