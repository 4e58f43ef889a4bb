package io.raceguard.testing;

import static java.util.Objects.requireNonNull;

import java.util.Objects;
import java.util.Optional;

/**
 * One invariant broken in one round: what was seen against what was expected, with the anomaly it
 * shows when the invariant can tell.
 *
 * <p>Immutable and thread-safe.
 */
public final class Violation {

    private final String message;
    private final Anomaly anomaly;

    private Violation(String message, Anomaly anomaly) {
        this.message = requireNonNull(message, "message");
        this.anomaly = anomaly;
    }

    /**
     * @param message what was seen against what was expected, e.g. {@code 2 applied (expected exactly 1)}
     * @return an unlabelled violation
     * @throws NullPointerException if {@code message} is null
     */
    public static Violation of(String message) {
        return new Violation(message, null);
    }

    /**
     * @param anomaly the race it shows
     * @param message what was seen against what was expected
     * @return a labelled violation
     * @throws NullPointerException if an argument is null
     */
    public static Violation of(Anomaly anomaly, String message) {
        return new Violation(message, requireNonNull(anomaly, "anomaly"));
    }

    /** @return what was seen against what was expected */
    public String message() {
        return message;
    }

    /** @return the race this violation shows, if the invariant could tell */
    public Optional<Anomaly> anomaly() {
        return Optional.ofNullable(anomaly);
    }

    /**
     * @return the message, led by the anomaly's label when there is one:
     *     {@code double spend: 2 applied (expected exactly 1)}
     */
    @Override
    public String toString() {
        return anomaly == null ? message : anomaly.label() + ": " + message;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Violation that && message.equals(that.message) && anomaly == that.anomaly;
    }

    @Override
    public int hashCode() {
        return Objects.hash(message, anomaly);
    }
}
