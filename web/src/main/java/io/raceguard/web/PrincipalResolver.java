package io.raceguard.web;

import static java.util.Objects.requireNonNull;

import io.raceguard.internal.Inputs;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;
import java.security.Principal;
import java.util.Optional;
import java.util.Set;

/**
 * Tells who sent a request: the scope of its idempotency keys in {@link IdempotencyFilter}, the
 * budget it is charged to in {@link RateLimitFilter}. Implementations must be thread-safe and must
 * not trust anything a client can forge unless the application vouches for it (a header set by an
 * authenticating gateway, say).
 */
@FunctionalInterface
public interface PrincipalResolver {

    /**
     * @param request the request being filtered
     * @return who sent it, or empty if it cannot be told
     */
    Optional<String> principal(HttpServletRequest request);

    /** @return the container's authenticated user, {@link HttpServletRequest#getUserPrincipal()} */
    static PrincipalResolver userPrincipal() {
        return request -> Optional.ofNullable(request.getUserPrincipal()).map(Principal::getName);
    }

    /**
     * @param name a request header that an authenticating gateway in front of the application sets
     * @return the header's value when present and not blank
     * @throws NullPointerException if {@code name} is null
     * @throws IllegalArgumentException if {@code name} is blank
     */
    static PrincipalResolver header(String name) {
        Inputs.requireKey(name, "name");
        return request -> Optional.ofNullable(request.getHeader(name)).filter(value -> !value.isBlank());
    }

    /**
     * @param name a session attribute the application sets at login
     * @return the attribute's string form, when the request has a session holding it
     * @throws NullPointerException if {@code name} is null
     * @throws IllegalArgumentException if {@code name} is blank
     */
    static PrincipalResolver sessionAttribute(String name) {
        Inputs.requireKey(name, "name");
        return request -> {
            HttpSession session = request.getSession(false);
            return session == null
                    ? Optional.empty()
                    : Optional.ofNullable(session.getAttribute(name)).map(String::valueOf);
        };
    }

    /**
     * Every request is the same principal: for an application with a single client, or a test.
     * With it, any client that learns another's idempotency key gets that client's response.
     *
     * @param principal the one principal
     * @return a resolver that always answers {@code principal}
     * @throws NullPointerException if {@code principal} is null
     * @throws IllegalArgumentException if {@code principal} is blank
     */
    static PrincipalResolver constant(String principal) {
        Optional<String> only = Optional.of(Inputs.requireKey(principal, "principal"));
        return request -> only;
    }

    /** @return the address of the peer that opened the connection, {@link HttpServletRequest#getRemoteAddr()} */
    static PrincipalResolver clientAddress() {
        return request -> Optional.ofNullable(request.getRemoteAddr());
    }

    /**
     * The client address behind trusted reverse proxies. When the connection comes from one of
     * {@code trustedProxies}, {@code X-Forwarded-For} is read from its right end, skipping trusted
     * proxies, and the first other address is the client's; any other connection is its own
     * client, and its {@code X-Forwarded-For} is ignored, since a client can write anything there.
     *
     * @param trustedProxies the exact addresses (as {@link HttpServletRequest#getRemoteAddr()} spells
     *     them) of the proxies in front of the application
     * @return the resolver
     * @throws NullPointerException if {@code trustedProxies} or one of them is null
     * @throws IllegalArgumentException if {@code trustedProxies} is empty or one is blank
     */
    static PrincipalResolver forwardedClientAddress(Set<String> trustedProxies) {
        return new ForwardedClientAddress(trustedProxies);
    }

    /**
     * @param fallback asked when this resolver cannot tell
     * @return a resolver that answers this one's principal, or else {@code fallback}'s
     * @throws NullPointerException if {@code fallback} is null
     */
    default PrincipalResolver orElse(PrincipalResolver fallback) {
        requireNonNull(fallback, "fallback");
        return request -> principal(request).or(() -> fallback.principal(request));
    }
}
