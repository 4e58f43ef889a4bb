package io.raceguard.cli;

import java.math.BigDecimal;

/**
 * One thing every round must satisfy: a status seen exactly or at most so often, or the state changed by
 * exactly so much. Immutable.
 */
sealed interface Expectation {

    /** @return what is counted, e.g. {@code status 200} or {@code state /coupon_redemptions} */
    String counted();

    /** @return the rule, e.g. {@code exactly 1} or {@code at most 5} */
    String allowed();

    /** @return what the round shows for this expectation */
    BigDecimal observed(RoundResult round);

    /** @return whether {@code observed} satisfies the rule */
    boolean holds(BigDecimal observed);

    /** @return how far {@code observed} is from the rule, to pick the worst round; 0 when it holds */
    BigDecimal distance(BigDecimal observed);

    /**
     * {@code --expect-status 200=1} ({@code exactly}) or {@code --at-most 201=5}: how many responses with
     * {@code status} a round may have.
     */
    record StatusCount(int status, long count, boolean exactly) implements Expectation {
        @Override
        public String counted() {
            return "status " + status;
        }

        @Override
        public String allowed() {
            return (exactly ? "exactly " : "at most ") + count;
        }

        @Override
        public BigDecimal observed(RoundResult round) {
            return BigDecimal.valueOf(round.count(status));
        }

        @Override
        public boolean holds(BigDecimal observed) {
            int comparison = observed.compareTo(BigDecimal.valueOf(count));
            return exactly ? comparison == 0 : comparison <= 0;
        }

        @Override
        public BigDecimal distance(BigDecimal observed) {
            BigDecimal beyond = observed.subtract(BigDecimal.valueOf(count));
            return exactly ? beyond.abs() : beyond.max(BigDecimal.ZERO);
        }
    }

    /** {@code --expect-change 1}: the number at the state's JSON pointer grows by exactly {@code change}. */
    record StateChange(JsonPointer pointer, BigDecimal change) implements Expectation {
        @Override
        public String counted() {
            return "state " + (pointer.toString().isEmpty() ? "(document)" : pointer);
        }

        @Override
        public String allowed() {
            return "change " + change.toPlainString();
        }

        @Override
        public BigDecimal observed(RoundResult round) {
            return round.stateChange();
        }

        @Override
        public boolean holds(BigDecimal observed) {
            return observed.compareTo(change) == 0;
        }

        @Override
        public BigDecimal distance(BigDecimal observed) {
            return observed.subtract(change).abs();
        }
    }
}
