/**
 * Binds what Raceguard's primitives do to a Micrometer {@link io.micrometer.core.instrument.MeterRegistry}.
 *
 * <p>{@link io.raceguard.micrometer.RaceguardMeters} is a {@link io.raceguard.event.RaceguardListener};
 * give it to each primitive as it is built, under a name of your choosing:
 * <pre>{@code
 * RaceguardListener meters = RaceguardMeters.of(meterRegistry);
 * LockManager locks = LockManager.builder(backend).events("checkout", meters).build();
 * Idempotency payments = Idempotency.builder(store).events("payments", meters).build();
 * RateLimiter logins = Instrumented.rateLimiter(RedisRateLimiter.create(client, limit), "login", meters);
 * }</pre>
 *
 * <p>In a Spring Boot application, declare the listener as a bean and hand it to the builders of the
 * primitive beans you declare (the starter does not pass it to its own beans yet):
 * <pre>{@code
 * @Bean RaceguardListener raceguardListener(MeterRegistry registry) { return RaceguardMeters.of(registry); }
 * }</pre>
 */
package io.raceguard.micrometer;
