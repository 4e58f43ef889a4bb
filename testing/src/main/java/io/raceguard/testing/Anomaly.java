package io.raceguard.testing;

/**
 * The name of the race a violation shows, in the words of the people who suffer it. Invariants label
 * what they can tell: an excess over a count, a duplicate, and, where calls return {@link Observed}
 * values, a lost update.
 */
public enum Anomaly {
    /** Two calls read the same value and both wrote: one write overwrote the other (Elle's definition). */
    LOST_UPDATE("lost update"),
    /** Something allowed once happened more than once: a coupon redeemed twice, a balance spent twice. */
    DOUBLE_SPEND("double spend"),
    /** Something allowed n times happened more often, or a level went past its bound: oversell, rate-limit bypass. */
    LIMIT_OVERRUN("limit overrun"),
    /** Something meant to be unique exists twice: a duplicate sign-up, order number or row. */
    DUPLICATE("duplicate");

    private final String label;

    Anomaly(String label) {
        this.label = label;
    }

    /** @return the label as reports print it, e.g. {@code double spend} */
    public String label() {
        return label;
    }
}
