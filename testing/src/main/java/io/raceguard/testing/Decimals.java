package io.raceguard.testing;

import java.math.BigDecimal;

/** Turns any {@link Number} into an exact decimal, so sums of longs, doubles and decimals compare alike. */
final class Decimals {

    private Decimals() {}

    /**
     * @param number a number, not NaN or infinite
     * @param name what it is, for the exception
     * @return its exact value
     * @throws NullPointerException if {@code number} is null
     * @throws IllegalArgumentException if it is NaN or infinite
     */
    static BigDecimal of(Number number, String name) {
        if (number == null) {
            throw new NullPointerException(name);
        }
        if (number instanceof BigDecimal decimal) {
            return decimal;
        }
        try {
            return new BigDecimal(number.toString());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a finite number, was " + number, e);
        }
    }
}
