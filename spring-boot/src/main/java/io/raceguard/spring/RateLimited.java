package io.raceguard.spring;

import io.raceguard.limit.RateLimit;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Puts a rate limit on a Spring MVC handler: the {@link io.raceguard.web.RateLimitFilter} runs in front
 * of it with a limiter of the auto-configured backend, so each client gets {@link #limit} requests per
 * {@link #window}, decided atomically, and the rest get {@code 429} with {@code Retry-After} and the
 * {@code RateLimit} / {@code RateLimit-Policy} header fields.
 *
 * <pre>{@code
 * @RateLimited(limit = 5, window = "1m", key = "#username")
 * @PostMapping("/login")
 * public String login(@RequestParam String username, @RequestParam String password) { ... }
 * }</pre>
 *
 * <p>The budget belongs to the value of {@link #key}, a SpEL expression evaluated before the handler
 * runs, against the request: each request parameter is a variable ({@code #username}), {@code
 * #request} is the {@code HttpServletRequest} ({@code #request.getHeader('X-Api-Key')}). Empty, or a
 * value that is null or blank, charges the client's address. Each annotated handler has its own
 * budgets.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface RateLimited {

    /** @return the requests allowed per window, positive */
    long limit();

    /** @return the window, as Spring Boot reads durations ({@code 1m}, {@code 30s}) */
    String window();

    /** @return how requests are counted */
    RateLimit.Algorithm algorithm() default RateLimit.Algorithm.SLIDING_WINDOW;

    /** @return a SpEL expression naming whose budget a request takes from; empty: the client's address */
    String key() default "";
}
