package io.raceguard.web;

import static java.util.Objects.requireNonNull;

import jakarta.servlet.http.HttpServletRequest;

/**
 * A path pattern in the Servlet style, matched against the request path within the context: an exact
 * path ({@code /charges}), a prefix ({@code /orders/*} matches {@code /orders} and everything under
 * it) or {@code /*} for every path. Immutable and thread-safe.
 *
 * @param pattern the pattern as configured
 */
record RoutePattern(String pattern) {

    RoutePattern {
        requireNonNull(pattern, "pattern");
        if (!pattern.startsWith("/") || pattern.chars().anyMatch(c -> c <= ' ' || c == 0x7f)) {
            throw new IllegalArgumentException(
                    "a path pattern starts with '/' and holds no spaces or control characters, was '" + pattern + "'");
        }
        int star = pattern.indexOf('*');
        if (star >= 0 && !(star == pattern.length() - 1 && pattern.endsWith("/*"))) {
            throw new IllegalArgumentException("'*' may only end a path pattern, as '/*', was '" + pattern + "'");
        }
    }

    boolean matches(String path) {
        if (!pattern.endsWith("/*")) {
            return path.equals(pattern);
        }
        String prefix = pattern.substring(0, pattern.length() - 2);
        return path.startsWith(prefix) && (path.length() == prefix.length() || path.charAt(prefix.length()) == '/');
    }

    /** @return the request's path within its context, as sent (not decoded) */
    static String pathOf(HttpServletRequest request) {
        String uri = request.getRequestURI();
        String context = request.getContextPath();
        return context.isEmpty() || !uri.startsWith(context) ? uri : uri.substring(context.length());
    }
}
