package io.raceguard.spring;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Makes a Spring MVC handler safe to retry with the {@code Idempotency-Key} header: the {@link
 * io.raceguard.web.IdempotencyFilter} runs in front of it, on the auto-configured {@link
 * io.raceguard.idempotency.spi.IdempotencyStore}, so the handler runs once per key and every retry gets
 * the first response back byte for byte ({@code 409} while the first still runs, {@code 422} for the
 * same key with another request, {@code 400} for a missing or malformed key). See the filter for the
 * whole protocol.
 *
 * <pre>{@code
 * @Idempotent
 * @PostMapping("/charges")
 * public ResponseEntity<Charge> charge(@RequestBody ChargeRequest request) { ... }
 * }</pre>
 *
 * <p>Keys are scoped to the client that the application's {@link io.raceguard.web.PrincipalResolver}
 * bean resolves (without one: the container's authenticated user), and to the method; requests without
 * a principal get {@code 401}. A key is not scoped to the handler: the same key sent to another
 * {@code @Idempotent} handler by the same client gets {@code 422}. Applies to {@code POST} and {@code
 * PATCH} requests of the handler.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface Idempotent {

    /** @return whether a request without the header gets {@code 400}; if false it runs unguarded */
    boolean required() default true;
}
