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
 * <p>In a Spring Boot application the one line that binds it is a bean that the primitives' beans
 * receive:
 * <pre>{@code
 * @Bean RaceguardListener raceguardListener(MeterRegistry registry) { return RaceguardMeters.of(registry); }
 * }</pre>
 */
package io.raceguard.micrometer;
