/**
 * Idempotency keys: a retried or duplicated request is replayed, never run twice.
 *
 * <ul>
 *   <li>{@link io.raceguard.idempotency.Idempotency}: runs {@link io.raceguard.idempotency.IdempotentWork}
 *       once per {@link io.raceguard.idempotency.IdempotencyKey} and answers an {@link
 *       io.raceguard.idempotency.IdempotentResult}: executed, replayed, in progress, or key reused with
 *       another request.
 *   <li>{@link io.raceguard.idempotency.IdempotencyKey}: the client's key within a mandatory scope (who
 *       asks, for which operation), so one client's key never replays another's response.
 *   <li>{@link io.raceguard.idempotency.IdempotencyCodec}: how a result becomes the stored bytes.
 *   <li>{@link io.raceguard.idempotency.InMemoryIdempotencyStore}: the one-JVM store and the reference
 *       semantics; {@code JdbcIdempotencyStore} and {@code RedisIdempotencyStore} share the records.
 * </ul>
 *
 * <p>Stores implement {@link io.raceguard.idempotency.spi.IdempotencyStore}.
 */
package io.raceguard.idempotency;
