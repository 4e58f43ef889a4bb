/**
 * Servlet filters that put Raceguard at the HTTP edge, in any Servlet 6 container (Tomcat, Jetty,
 * Undertow):
 *
 * <ul>
 *   <li>{@link io.raceguard.web.IdempotencyFilter}: the {@code Idempotency-Key} request header of
 *       {@code draft-ietf-httpapi-idempotency-key-header}, with Stripe's replay behaviour, on any
 *       {@link io.raceguard.idempotency.spi.IdempotencyStore};
 *   <li>{@link io.raceguard.web.RateLimitFilter}: a {@link io.raceguard.limit.RateLimiter} per route,
 *       answering {@code 429} with {@code Retry-After} and the {@code RateLimit} / {@code RateLimit-Policy}
 *       fields of {@code draft-ietf-httpapi-ratelimit-headers};
 *   <li>{@link io.raceguard.web.IdempotencyStatus}: the HTTP status of each
 *       {@link io.raceguard.idempotency.IdempotentResult}, for code that calls
 *       {@link io.raceguard.idempotency.Idempotency} itself.
 * </ul>
 *
 * <p>Error answers are RFC 9457 {@code application/problem+json}. Everything else in this package is
 * package-private.
 */
package io.raceguard.web;
