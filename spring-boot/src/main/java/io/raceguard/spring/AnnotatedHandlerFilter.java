package io.raceguard.spring;

import io.raceguard.idempotency.spi.IdempotencyStore;
import io.raceguard.limit.RateLimit;
import io.raceguard.limit.RateLimitDecision;
import io.raceguard.limit.RateLimiter;
import io.raceguard.web.IdempotencyFilter;
import io.raceguard.web.PrincipalResolver;
import io.raceguard.web.RateLimitFilter;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.context.ApplicationListener;
import org.springframework.context.event.ContextRefreshedEvent;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.expression.Expression;
import org.springframework.expression.spel.standard.SpelExpressionParser;
import org.springframework.expression.spel.support.StandardEvaluationContext;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerExecutionChain;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;
import org.springframework.web.util.ServletRequestPathUtils;

/**
 * Puts the web module's {@link RateLimitFilter} and {@link IdempotencyFilter} in front of the Spring
 * MVC handlers annotated {@link RateLimited} and {@link Idempotent}: once the context is refreshed it
 * builds one filter per annotated handler, and for each request asks the handler mappings which handler
 * will serve it. Requests to other handlers pass untouched. Thread-safe.
 */
final class AnnotatedHandlerFilter implements Filter, ApplicationListener<ContextRefreshedEvent> {

    private static final SpelExpressionParser PARSER = new SpelExpressionParser();

    private final ObjectProvider<IdempotencyStore> store;
    private final ObjectProvider<RateLimiters> limiters;
    private final ObjectProvider<PrincipalResolver> principals;
    private volatile List<RequestMappingHandlerMapping> mappings = List.of();
    private volatile Map<Method, Filter> filtersByHandler = Map.of();

    AnnotatedHandlerFilter(ObjectProvider<IdempotencyStore> store, ObjectProvider<RateLimiters> limiters,
            ObjectProvider<PrincipalResolver> principals) {
        this.store = store;
        this.limiters = limiters;
        this.principals = principals;
    }

    @Override
    public void onApplicationEvent(ContextRefreshedEvent event) {
        List<RequestMappingHandlerMapping> found =
                List.copyOf(event.getApplicationContext().getBeansOfType(RequestMappingHandlerMapping.class).values());
        Map<Method, Filter> filters = new HashMap<>();
        for (RequestMappingHandlerMapping mapping : found) {
            mapping.getHandlerMethods().forEach((info, handler) -> filterOf(info, handler.getMethod())
                    .ifPresent(filter -> filters.put(handler.getMethod(), filter)));
        }
        this.filtersByHandler = Map.copyOf(filters);
        this.mappings = found;
    }

    private Optional<Filter> filterOf(RequestMappingInfo info, Method method) {
        List<Filter> filters = new ArrayList<>();
        RateLimited rateLimited = AnnotatedElementUtils.findMergedAnnotation(method, RateLimited.class);
        if (rateLimited != null) {
            filters.add(rateLimitFilter(info, method, rateLimited));
        }
        Idempotent idempotent = AnnotatedElementUtils.findMergedAnnotation(method, Idempotent.class);
        if (idempotent != null) {
            IdempotencyFilter.Builder builder = IdempotencyFilter.builder(store.getObject())
                    .principal(principals.getIfAvailable(PrincipalResolver::userPrincipal));
            filters.add((idempotent.required() ? builder.requireKey("/*") : builder.acceptKey("/*")).build());
        }
        return filters.isEmpty() ? Optional.empty() : Optional.of(chained(filters));
    }

    private RateLimitFilter rateLimitFilter(RequestMappingInfo info, Method method, RateLimited annotation) {
        String where = LockedMethods.describe(method);
        Duration window;
        try {
            window = DurationStyle.detectAndParse(annotation.window());
        } catch (IllegalArgumentException malformed) {
            throw new IllegalStateException("@RateLimited on " + where + " has window = \"" + annotation.window()
                    + "\", which is not a duration such as 1m", malformed);
        }
        RateLimiter limiter = scoped(limiters.getObject().create(
                new RateLimit(annotation.algorithm(), annotation.limit(), window)), where);
        List<String> paths = List.copyOf(info.getDirectPaths());
        String route = paths.size() == 1 && info.getPatternValues().size() == 1 ? paths.get(0) : "/*";
        RateLimitFilter.Builder builder = RateLimitFilter.builder().limit(route, limiter);
        if (!annotation.key().isEmpty()) {
            builder.key(requestKey(PARSER.parseExpression(annotation.key())));
        }
        return builder.build();
    }

    /** @return {@code limiter}, each key prefixed with the handler, so that handlers never share budgets */
    private static RateLimiter scoped(RateLimiter limiter, String handler) {
        return new RateLimiter() {
            @Override
            public RateLimit limit() {
                return limiter.limit();
            }

            @Override
            public RateLimitDecision tryAcquire(String key, long permits) {
                return limiter.tryAcquire(handler + " " + key, permits);
            }
        };
    }

    private static PrincipalResolver requestKey(Expression key) {
        return request -> {
            StandardEvaluationContext context = new StandardEvaluationContext(request);
            context.setVariable("request", request);
            request.getParameterMap().forEach((name, values) -> context.setVariable(name, values[0]));
            Object value = key.getValue(context);
            return value == null || value.toString().isBlank() ? Optional.empty() : Optional.of(value.toString());
        };
    }

    private static Filter chained(List<Filter> filters) {
        return (request, response, chain) -> new FilterChain() {
            private int next;

            @Override
            public void doFilter(ServletRequest nextRequest, ServletResponse nextResponse)
                    throws IOException, ServletException {
                if (next < filters.size()) {
                    filters.get(next++).doFilter(nextRequest, nextResponse, this);
                } else {
                    chain.doFilter(nextRequest, nextResponse);
                }
            }
        }.doFilter(request, response);
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        Filter filter = request instanceof HttpServletRequest http ? filterFor(http) : null;
        if (filter == null) {
            chain.doFilter(request, response);
        } else {
            filter.doFilter(request, response, chain);
        }
    }

    private Filter filterFor(HttpServletRequest request) throws ServletException {
        if (filtersByHandler.isEmpty()) {
            return null;
        }
        boolean parsed = ServletRequestPathUtils.hasParsedRequestPath(request);
        try {
            if (!parsed) {
                ServletRequestPathUtils.parseAndCache(request);
            }
            for (RequestMappingHandlerMapping mapping : mappings) {
                HandlerExecutionChain handler = mapping.getHandler(request);
                if (handler != null && handler.getHandler() instanceof HandlerMethod method) {
                    return filtersByHandler.get(method.getMethod());
                }
            }
            return null;
        } catch (ServletException | RuntimeException failure) {
            throw failure;
        } catch (Exception other) {
            throw new ServletException(other);
        } finally {
            if (!parsed) {
                ServletRequestPathUtils.clearParsedRequestPath(request);
            }
        }
    }
}
