/**
 * Contract kits for backend authors: abstract JUnit classes that a backend's test extends, returning
 * its backend from one factory method, to run every rule the primitive promises against it.
 * {@link io.raceguard.testing.contract.CountersContract}, {@link io.raceguard.testing.contract.RateLimiterContract},
 * {@link io.raceguard.testing.contract.LockManagerContract} and
 * {@link io.raceguard.testing.contract.StalledHolderContract} are one class each;
 * {@link io.raceguard.testing.contract.IdempotencyStoreContract} is layered on
 * {@link io.raceguard.testing.contract.IdempotencyStoreTransitionsContract}, the store's own transitions,
 * and adds the cases that run through {@code Idempotency}. The kits race backends with the public
 * {@link io.raceguard.testing.Hammer} only.
 *
 * <p>A backend whose server is missing skips the kit's tests by throwing
 * {@code org.opentest4j.TestAbortedException} (for example through {@code Assumptions.abort}) from its
 * factory, or from the fixture that creates the lock manager the lock kits ask for (whose teardown must
 * then find nothing to close). The counters, rate-limiter and idempotency kits call their factory
 * before the test runs, and no kit turns a skip into a failure.
 */
package io.raceguard.testing.contract;
