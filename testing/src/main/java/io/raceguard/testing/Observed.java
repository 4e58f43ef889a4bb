package io.raceguard.testing;

import static java.util.Objects.requireNonNull;

import java.util.Objects;
import java.util.Optional;

/**
 * What a call read and, if it wrote, what it wrote: return it from a call and the hammer can name the
 * race it finds. Two calls of one round that read the same value and both wrote are a
 * {@linkplain Anomaly#LOST_UPDATE lost update}, reported whether or not another invariant noticed; when
 * an invariant of the hammer broke too, the verdict leads with that invariant's violation (the double
 * spend the lost update caused) and lists the lost update after it.
 *
 * <pre>{@code
 * hammer.fire(() -> {
 *     long balance = accounts.balance("alice");
 *     if (balance < 30) return Observed.readOnly(balance);
 *     accounts.setBalance("alice", balance - 30);
 *     return Observed.readWrote(balance, balance - 30);
 * }).expect(Invariant.conserved("total", accounts::total));
 * }</pre>
 *
 * <p>Immutable; thread-safe if the values are.
 *
 * @param <V> the type of the value read and written
 */
public final class Observed<V> {

    private final V read;
    private final V wrote;

    private Observed(V read, V wrote) {
        this.read = read;
        this.wrote = wrote;
    }

    /**
     * @param read the value the call read, {@code null} for "nothing there"
     * @param wrote the value it then wrote
     * @param <V> the value type
     * @return the observation
     * @throws NullPointerException if {@code wrote} is null
     */
    public static <V> Observed<V> readWrote(V read, V wrote) {
        return new Observed<>(read, requireNonNull(wrote, "wrote"));
    }

    /**
     * @param read the value the call read, {@code null} for "nothing there"
     * @param <V> the value type
     * @return the observation of a call that decided not to write
     */
    public static <V> Observed<V> readOnly(V read) {
        return new Observed<>(read, null);
    }

    /** @return the value the call read, {@code null} if there was none */
    public V read() {
        return read;
    }

    /** @return the value the call wrote, empty if it did not write */
    public Optional<V> wrote() {
        return Optional.ofNullable(wrote);
    }

    /** @return {@code true} if the call wrote */
    public boolean hasWritten() {
        return wrote != null;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Observed<?> that && Objects.equals(read, that.read)
                && Objects.equals(wrote, that.wrote);
    }

    @Override
    public int hashCode() {
        return Objects.hash(read, wrote);
    }

    @Override
    public String toString() {
        return "read " + read + (wrote == null ? ", wrote nothing" : ", wrote " + wrote);
    }
}
