/**
 * Proves that code and endpoints are race-free by hammering them: the {@link io.raceguard.testing.Hammer}
 * fires many calls (in-process, or HTTP/1.1 requests through {@link io.raceguard.testing.HttpHammer})
 * released together behind one gate, round after round, and checks after each round that the state
 * changed exactly as often as it should ({@link io.raceguard.testing.Invariant},
 * {@link io.raceguard.testing.Table}). Each round measures its release skew, the race window it
 * actually achieved; a failure is labelled ({@link io.raceguard.testing.Anomaly}), counted across
 * rounds and shrunk to the fewest calls that still fail, and reported in one line.
 *
 * <pre>{@code
 * @RegisterExtension
 * static final HammerExtension HAMMER = HammerExtension.create().withTimes(20).withRounds(50);
 *
 * @Test
 * void shouldRedeemACouponOnce(Hammer hammer) {
 *     hammer.beforeEachRound(() -> coupons.reset("SAVE20", 1))
 *           .fire(i -> coupons.redeem("SAVE20", "user-" + i))
 *           .expect(Invariant.exactly(1, "redeemed", Outcome::isApplied));
 * }
 * // fails with: round 3 of 50 failed: double spend: 2 redeemed (expected exactly 1);
 * //             median release skew 41 us; smallest failing N: 2
 * }</pre>
 *
 * <p>The package also holds the contract kits that every backend of the core primitives passes
 * ({@link io.raceguard.testing.contract.CountersContract}, {@link io.raceguard.testing.contract.RateLimiterContract},
 * {@link io.raceguard.testing.contract.LockManagerContract},
 * {@link io.raceguard.testing.contract.IdempotencyStoreContract}); their races run on the hammer too.
 * {@link io.raceguard.testing.contract.StalledHolderContract} proves a lock manager and a fenced resource together
 * against a lease holder that stalls past its ttl. The HTTP/1.1 transport lives in {@code io.raceguard.testing.http}.
 */
package io.raceguard.testing;
