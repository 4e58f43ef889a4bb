package io.raceguard.testing;

import io.raceguard.internal.Inputs;

/**
 * The number of a {@link Table}'s rows that match its conditions, read after each round:
 * {@code Table.of(dataSource, "signups").where("email", "alice@example.com").rowCount().isAtMost(1)}.
 * More rows than the one allowed is labelled a duplicate (a sign-up stored twice), more than any other
 * bound a limit overrun (tickets sold past the seats); too few is unlabelled.
 *
 * <p>Immutable and thread-safe.
 */
public final class RowCount {

    private final Table table;

    RowCount(Table table) {
        this.table = table;
    }

    /**
     * @param n how many rows every round must leave, at least 0
     * @return the invariant
     * @throws IllegalArgumentException if {@code n < 0}
     */
    public Invariant<Object> isExactly(long n) {
        return invariant(CountInvariant.Bound.EXACTLY, n);
    }

    /**
     * @param n how many rows every round may leave at most, at least 0
     * @return the invariant
     * @throws IllegalArgumentException if {@code n < 0}
     */
    public Invariant<Object> isAtMost(long n) {
        return invariant(CountInvariant.Bound.AT_MOST, n);
    }

    private Invariant<Object> invariant(CountInvariant.Bound bound, long n) {
        Inputs.requireNonNegative(n, "n");
        return new AfterRound<>(bound.demand(n, rows(n)), round -> {
            long count = table.count();
            return bound.judge(n, count, count + " " + rows(count), Anomaly.DUPLICATE);
        });
    }

    private String rows(long count) {
        return (count == 1 ? "row in " : "rows in ") + table;
    }

    @Override
    public String toString() {
        return "rows in " + table;
    }
}
