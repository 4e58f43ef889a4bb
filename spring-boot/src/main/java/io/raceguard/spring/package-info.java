/**
 * Spring Boot auto-configuration for Raceguard: beans on the application's backend and the {@link
 * io.raceguard.spring.Locked}, {@link io.raceguard.spring.Idempotent} and {@link
 * io.raceguard.spring.RateLimited} annotations.
 */
package io.raceguard.spring;
