package io.raceguard;

import static java.util.Objects.requireNonNull;

import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.function.Function;

/**
 * The result of a guarded mutation: either it {@linkplain Applied applied} and carries the value it
 * produced, or it was {@linkplain Rejected rejected} for a {@link Rejection reason}. Expected
 * refusals are values so that callers handle them in the normal flow; infrastructure faults are
 * thrown as {@link RaceguardException}s instead.
 *
 * <pre>{@code
 * Outcome<Long> debit = counters.take("balance:42", 100);
 * if (!debit.isApplied()) return badRequest(debit.rejection() + ": " + debit.detail());
 * long newBalance = debit.value();
 * }</pre>
 *
 * <p>Read an outcome through {@link #isApplied()}, then {@link #value()} if it applied, or
 * {@link #rejection()} and {@link #detail()} if not; no pattern matching is needed. The accessors of
 * the other case throw {@link NoSuchElementException}.
 *
 * <p>Outcomes are immutable and therefore thread-safe.
 *
 * @param <T> the type of the value an applied outcome carries
 */
public sealed interface Outcome<T> permits Outcome.Applied, Outcome.Rejected {

    /**
     * An outcome that applied.
     *
     * @param value the value the operation produced, never {@code null}
     * @param <T> the value type
     */
    record Applied<T>(T value) implements Outcome<T> {
        /** @throws NullPointerException if {@code value} is null */
        public Applied {
            requireNonNull(value, "value");
        }

        @Override
        public boolean isApplied() {
            return true;
        }

        @Override
        public Rejection rejection() {
            throw new NoSuchElementException("the outcome applied; it has no rejection");
        }

        @Override
        public String detail() {
            throw new NoSuchElementException("the outcome applied; it has no rejection detail");
        }
    }

    /**
     * An outcome that was refused.
     *
     * @param rejection why it was refused
     * @param detail a human-readable detail (for example the name of the violated constraint), never
     *     {@code null}, possibly empty
     * @param <T> the value type the operation would have produced
     */
    record Rejected<T>(Rejection rejection, String detail) implements Outcome<T> {
        /** @throws NullPointerException if an argument is null */
        public Rejected {
            requireNonNull(rejection, "rejection");
            requireNonNull(detail, "detail");
        }

        @Override
        public boolean isApplied() {
            return false;
        }

        @Override
        public T value() {
            throw new NoSuchElementException("the outcome was rejected: " + this);
        }

        @Override
        public String toString() {
            return detail.isEmpty() ? rejection.name() : rejection + " (" + detail + ")";
        }
    }

    /**
     * @param value the value produced
     * @param <T> the value type
     * @return an applied outcome
     * @throws NullPointerException if {@code value} is null
     */
    static <T> Outcome<T> applied(T value) {
        return new Applied<>(value);
    }

    /**
     * @param rejection why the operation was refused
     * @param <T> the value type
     * @return a rejected outcome with an empty detail
     */
    static <T> Outcome<T> rejected(Rejection rejection) {
        return new Rejected<>(rejection, "");
    }

    /**
     * @param rejection why the operation was refused
     * @param detail a human-readable detail
     * @param <T> the value type
     * @return a rejected outcome
     */
    static <T> Outcome<T> rejected(Rejection rejection, String detail) {
        return new Rejected<>(rejection, detail);
    }

    /** @return whether the operation applied */
    boolean isApplied();

    /**
     * @return the value of an applied outcome
     * @throws NoSuchElementException if the outcome was rejected
     */
    T value();

    /**
     * @return the reason of a rejected outcome
     * @throws NoSuchElementException if the outcome applied
     */
    Rejection rejection();

    /**
     * @return the detail of a rejected outcome, as the rejecting backend wrote it (for a
     *     {@code DUPLICATE} from a database, the name of the constraint or index that refused the
     *     insert); never {@code null}, possibly empty
     * @throws NoSuchElementException if the outcome applied
     */
    String detail();

    /** @return the value if applied, otherwise empty */
    default Optional<T> toOptional() {
        return isApplied() ? Optional.of(value()) : Optional.empty();
    }

    /**
     * @return the value if applied
     * @throws OutcomeRejectedException if the outcome was rejected
     */
    default T orElseThrow() {
        if (!isApplied()) {
            throw new OutcomeRejectedException(rejection(), detail());
        }
        return value();
    }

    /**
     * @param mapper applied to the value of an applied outcome
     * @param <U> the new value type
     * @return the mapped outcome; a rejection is carried over unchanged
     */
    @SuppressWarnings("unchecked")
    default <U> Outcome<U> map(Function<? super T, ? extends U> mapper) {
        requireNonNull(mapper, "mapper");
        return isApplied() ? applied(mapper.apply(value())) : (Outcome<U>) this;
    }
}
