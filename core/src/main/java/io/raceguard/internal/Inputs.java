package io.raceguard.internal;

import java.time.Duration;

/**
 * The rules every key, amount and duration passed to a Raceguard primitive follows, checked before
 * any I/O so that bad input never has an effect. Backends of every kind call these checks, so one
 * key behaves the same in memory, in a database and in Redis.
 *
 * <p>A key is any string that is not blank, is at most {@value #MAX_KEY_BYTES} bytes in UTF-8, holds
 * no NUL character (PostgreSQL cannot store it) and no unpaired UTF-16 surrogate (it cannot survive
 * the trip through UTF-8). Everything else, quotes, newlines, Lua or SQL metacharacters included,
 * round-trips exactly: keys only ever travel as bound parameters or script arguments.
 *
 * <p>This class is stateless and thread-safe.
 */
public final class Inputs {

    /** The largest key accepted, in UTF-8 bytes. */
    public static final int MAX_KEY_BYTES = 8192;

    private Inputs() {}

    /**
     * @param key the key to check
     * @param name the parameter name to use in the exception message
     * @return {@code key}
     * @throws NullPointerException if {@code key} is null
     * @throws IllegalArgumentException if the key breaks one of the rules above
     */
    public static String requireKey(String key, String name) {
        if (key == null) {
            throw new NullPointerException(name);
        }
        if (key.isBlank()) {
            throw new IllegalArgumentException(name + " must not be blank");
        }
        int utf8Bytes = 0;
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (c == '\0') {
                throw new IllegalArgumentException(name + " must not contain NUL characters (index " + i + ")");
            }
            if (Character.isHighSurrogate(c)) {
                if (i + 1 >= key.length() || !Character.isLowSurrogate(key.charAt(i + 1))) {
                    throw new IllegalArgumentException(name + " has an unpaired surrogate at index " + i);
                }
                utf8Bytes += 4;
                i++;
            } else if (Character.isLowSurrogate(c)) {
                throw new IllegalArgumentException(name + " has an unpaired surrogate at index " + i);
            } else {
                utf8Bytes += c < 0x80 ? 1 : c < 0x800 ? 2 : 3;
            }
        }
        if (utf8Bytes > MAX_KEY_BYTES) {
            throw new IllegalArgumentException(
                    name + " must be at most " + MAX_KEY_BYTES + " bytes in UTF-8, was " + utf8Bytes);
        }
        return key;
    }

    /**
     * @param amount the amount to check
     * @param name the parameter name to use in the exception message
     * @return {@code amount}
     * @throws IllegalArgumentException if {@code amount <= 0}
     */
    public static long requirePositive(long amount, String name) {
        if (amount <= 0) {
            throw new IllegalArgumentException(name + " must be > 0, was " + amount);
        }
        return amount;
    }

    /**
     * @param value the value to check
     * @param name the parameter name to use in the exception message
     * @return {@code value}
     * @throws IllegalArgumentException if {@code value < 0}
     */
    public static long requireNonNegative(long value, String name) {
        if (value < 0) {
            throw new IllegalArgumentException(name + " must be >= 0, was " + value);
        }
        return value;
    }

    /**
     * A duration the stores can represent: positive and at most {@link #MAX_DURATION}.
     *
     * @param duration the duration to check
     * @param name the parameter name to use in the exception message
     * @return {@code duration}
     * @throws NullPointerException if {@code duration} is null
     * @throws IllegalArgumentException if it is zero, negative, or longer than {@link #MAX_DURATION}
     */
    public static Duration requirePositive(Duration duration, String name) {
        if (duration == null) {
            throw new NullPointerException(name);
        }
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, was " + duration);
        }
        if (duration.compareTo(MAX_DURATION) > 0) {
            throw new IllegalArgumentException(name + " must be at most " + MAX_DURATION + ", was " + duration);
        }
        if (duration.toMillis() == 0) {
            throw new IllegalArgumentException(name + " must be at least 1 ms, was " + duration);
        }
        return duration;
    }

    /**
     * Like {@link #requirePositive(Duration, String)} but also accepts zero.
     *
     * @param duration the duration to check
     * @param name the parameter name to use in the exception message
     * @return {@code duration}
     */
    public static Duration requireNonNegative(Duration duration, String name) {
        if (duration == null) {
            throw new NullPointerException(name);
        }
        return duration.isZero() ? duration : requirePositive(duration, name);
    }

    /** The longest duration accepted anywhere: 365 days, far beyond any sane lease or window. */
    public static final Duration MAX_DURATION = Duration.ofDays(365);
}
