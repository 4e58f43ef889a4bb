package io.raceguard.idempotency;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

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
 * <p>HTTP statuses for these outcomes live in the {@code raceguard-web} module. Results are immutable and
 * thread-safe.
 *
 * @param <T> the work's result type
 */
public sealed interface IdempotentResult<T>
        permits IdempotentResult.Executed, IdempotentResult.Replayed, IdempotentResult.InProgress, IdempotentResult.KeyReused {

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
    }

    /** @param <T> the result type */
    record KeyReused<T>() implements IdempotentResult<T> {}
}
