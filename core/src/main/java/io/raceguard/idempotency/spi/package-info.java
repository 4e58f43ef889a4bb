/**
 * For store authors: {@link io.raceguard.idempotency.spi.IdempotencyStore}, four atomic transitions on
 * one scoped key (claim, complete, release, take over), and the {@link
 * io.raceguard.idempotency.spi.IdempotencyRecord} a claim returns when the key is taken. A store proves
 * itself by passing the kits in {@code io.raceguard.testing.contract}.
 */
package io.raceguard.idempotency.spi;
