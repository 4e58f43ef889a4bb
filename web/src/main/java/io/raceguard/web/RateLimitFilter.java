package io.raceguard.web;

import static java.util.Objects.requireNonNull;

import io.raceguard.limit.RateLimitDecision;
import io.raceguard.limit.RateLimiter;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Puts a {@link RateLimiter} in front of routes: each request on a route takes one permit from its
 * client's budget, and a request without one gets {@code 429 Too Many Requests} with {@code
 * Retry-After}, before the handler runs.
 *
 * <pre>{@code
 * RateLimitFilter filter = RateLimitFilter.builder()
 *         .limit("/login", RedisRateLimiter.create(jedis, RateLimit.slidingWindow(5, Duration.ofMinutes(1))))
 *         .build();                                    // keyed by client address by default
 * }</pre>
 *
 * <p><b>Header fields</b>, from {@code draft-ietf-httpapi-ratelimit-headers}, on every answer of a
 * limited route, allowed or refused; the policy is named after the route's pattern:
 *
 * <ul>
 *   <li>{@code RateLimit-Policy: "/login";q=5;w=60}: the quota {@code q} and the window {@code w} in
 *       seconds, rounded up to a whole second;
 *   <li>{@code RateLimit: "/login";r=4}: the permits {@code r} left; on a refusal also {@code t}, the
 *       seconds until a permit may be available again, equal to {@code Retry-After}.
 * </ul>
 *
 * <p><b>Keys.</b> The budget belongs to what {@link Builder#key} resolves: by default {@link
 * PrincipalResolver#clientAddress()}. {@code X-Forwarded-For} is read only if asked for, through
 * {@link PrincipalResolver#forwardedClientAddress} with the proxies to trust. A request whose key
 * cannot be resolved is charged to its client address. The limiter sees the route's pattern and the
 * SHA-256 of the key, never the key itself.
 *
 * <p><b>Atomicity and failure model</b> are the limiter's: one atomic decision per request, so a
 * concurrent burst gets exactly the limit through; a store fault propagates as {@link
 * io.raceguard.BackendException} and the request is not let through (the container answers 500).
 *
 * <p>Immutable and thread-safe; one instance serves every request.
 */
public final class RateLimitFilter implements Filter {

    /** The field that names each policy's quota and window. */
    public static final String POLICY_HEADER = "RateLimit-Policy";

    /** The field that gives what is left of the quota. */
    public static final String LIMIT_HEADER = "RateLimit";

    private final List<Route> routes;
    private final Set<String> methods;
    private final PrincipalResolver keys;

    private RateLimitFilter(Builder builder) {
        this.routes = List.copyOf(builder.routes);
        this.methods = builder.methods;
        PrincipalResolver chosen = builder.keys == null ? PrincipalResolver.clientAddress() : builder.keys;
        this.keys = chosen.orElse(PrincipalResolver.clientAddress());
    }

    /** @return a builder; at least one route must be given */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        if (!(request instanceof HttpServletRequest http) || !(response instanceof HttpServletResponse answer)
                || methods != null && !methods.contains(http.getMethod())) {
            chain.doFilter(request, response);
            return;
        }
        String path = RoutePattern.pathOf(http);
        Route route = routes.stream().filter(candidate -> candidate.pattern().matches(path)).findFirst().orElse(null);
        if (route == null) {
            chain.doFilter(request, response);
            return;
        }
        String client = keys.principal(http).orElse("unknown");
        RateLimitDecision decision = route.limiter().tryAcquire(
                route.pattern().pattern() + " " + RequestFingerprint.digestOf(client));
        answer.setHeader(POLICY_HEADER, route.policyField());
        if (decision.allowed()) {
            answer.setHeader(LIMIT_HEADER, route.name() + ";r=" + decision.remaining());
            chain.doFilter(request, response);
            return;
        }
        long seconds = wholeSeconds(decision.retryAfter());
        answer.setHeader(LIMIT_HEADER, route.name() + ";r=" + decision.remaining() + ";t=" + seconds);
        answer.setHeader("Retry-After", Long.toString(seconds));
        Problem.of(429, "this client used up its quota for " + route.pattern().pattern()
                + "; retry after " + seconds + " s").send(answer);
    }

    private static long wholeSeconds(Duration duration) {
        return Math.max(1, (duration.toMillis() + 999) / 1000);
    }

    /**
     * @param pattern the route
     * @param limiter its limiter
     */
    private record Route(RoutePattern pattern, RateLimiter limiter) {

        /** @return the policy's name as an sf-string: the pattern, which holds no quote or backslash */
        String name() {
            return "\"" + pattern.pattern() + "\"";
        }

        String policyField() {
            return name() + ";q=" + limiter.limit().limit() + ";w=" + wholeSeconds(limiter.limit().window());
        }
    }

    /**
     * Configures a {@link RateLimitFilter}. Each option may be set once, each route named once; all are
     * checked as they are set. Not thread-safe.
     */
    public static final class Builder {

        private final List<Route> routes = new ArrayList<>();
        private Set<String> methods;
        private PrincipalResolver keys;

        private Builder() {}

        /**
         * Limits a route; the first route that matches a request is the one applied.
         *
         * @param pathPattern an exact path ({@code /login}), a prefix ({@code /api/*}) or {@code /*}
         * @param limiter the limiter, with its policy, that every request on the route asks for a permit
         * @return this builder
         * @throws NullPointerException if an argument is null
         * @throws IllegalArgumentException if the pattern is malformed, or holds a quote or backslash
         * @throws IllegalStateException if the route was already limited
         */
        public Builder limit(String pathPattern, RateLimiter limiter) {
            RoutePattern pattern = new RoutePattern(requireNonNull(pathPattern, "pathPattern"));
            if (pathPattern.indexOf('"') >= 0 || pathPattern.indexOf('\\') >= 0) {
                throw new IllegalArgumentException("pathPattern must not hold '\"' or '\\', was " + pathPattern);
            }
            requireNonNull(limiter, "limiter");
            if (routes.stream().anyMatch(route -> route.pattern().equals(pattern))) {
                throw new IllegalStateException("route " + pathPattern + " was already limited");
            }
            routes.add(new Route(pattern, limiter));
            return this;
        }

        /**
         * @param methods the methods limited; default every method
         * @return this builder
         * @throws NullPointerException if a method is null
         * @throws IllegalArgumentException if none is given or one is not an HTTP token
         * @throws IllegalStateException if the methods were already set
         */
        public Builder methods(String... methods) {
            Options.requireUnset(this.methods, "methods");
            this.methods = Set.copyOf(Options.methods(methods));
            return this;
        }

        /**
         * @param keys whose budget a request is charged to; default {@link PrincipalResolver#clientAddress()}
         * @return this builder
         * @throws NullPointerException if {@code keys} is null
         * @throws IllegalStateException if the key resolver was already set
         */
        public Builder key(PrincipalResolver keys) {
            Options.requireUnset(this.keys, "key");
            this.keys = requireNonNull(keys, "keys");
            return this;
        }

        /**
         * @return the filter
         * @throws IllegalStateException if no route was limited
         */
        public RateLimitFilter build() {
            if (routes.isEmpty()) {
                throw new IllegalStateException("limit at least one route");
            }
            return new RateLimitFilter(this);
        }
    }
}
