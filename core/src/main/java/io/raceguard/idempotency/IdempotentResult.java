package io.raceguard.idempotency;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.NoSuchElementException;
import java.util.Optional;

/**
 * What {@link Idempotency#execute} did with a request.
 *
 * <ul>
 *   <li>{@link Executed}: this call ran the work and recorded its result;
 *   <li>{@link Replayed}: an earlier call with the same key and payload ran it; its result is returned;
 *   <li>{@link InProgress}: another call with the same key is running the work now;
 *   <li>{@link KeyReused}: the key was used before with a different payload.
 * </ul>
 *
 * <p>Read the work's result through {@link #value()} (or {@link #toOptional()}): it is the same for
 * {@link Executed} and {@link Replayed}, so a caller that answers both alike needs no pattern matching.
 * Branch on the record types only where the two differ to the caller (to mark a replayed response).
 *
 * <p>HTTP statuses for these outcomes live in the {@code raceguard-web} module. Results are immutable
 * and thread-safe.
 *
 * @param <T> the work's result type
 */
public sealed interface IdempotentResult<T>
        permits IdempotentResult.Executed, IdempotentResult.Replayed, IdempotentResult.InProgress,
                IdempotentResult.KeyReused {

    /**
     * @param value the work's result
     * @param <T> the result type
     */
    record Executed<T>(T value) implements IdempotentResult<T> {
        /** @throws NullPointerException if {@code value} is null */
        public Executed {
            requireNonNull(value, "value");
        }
    }

    /**
     * @param value the recorded result of the earlier execution
     * @param <T> the result type
     */
    record Replayed<T>(T value) implements IdempotentResult<T> {
        /** @throws NullPointerException if {@code value} is null */
        public Replayed {
            requireNonNull(value, "value");
        }
    }

    /**
     * @param retryAfter when the caller may try again (the other execution's lease remaining)
     * @param <T> the result type
     */
    record InProgress<T>(Duration retryAfter) implements IdempotentResult<T> {
        /** @throws NullPointerException if {@code retryAfter} is null */
        public InProgress {
            requireNonNull(retryAfter, "retryAfter");
        }

        @Override
        public T value() {
            throw new NoSuchElementException(
                    "no result yet: another call with this key is running the work; retry after " + retryAfter);
        }
    }

    /** @param <T> the result type */
    record KeyReused<T>() implements IdempotentResult<T> {
        @Override
        public T value() {
            throw new NoSuchElementException("no result: the key was used before with a different request");
        }
    }

    /**
     * @return the work's result: the one this call recorded ({@link Executed}) or the one an earlier
     *     call recorded ({@link Replayed}), never {@code null}
     * @throws NoSuchElementException for {@link InProgress} and {@link KeyReused}, which carry no result
     */
    T value();

    /** @return the work's result for {@link Executed} and {@link Replayed}, otherwise empty */
    default Optional<T> toOptional() {
        return this instanceof Executed<T> || this instanceof Replayed<T> ? Optional.of(value()) : Optional.empty();
    }
}
