package io.raceguard.web;

import static java.util.Objects.requireNonNull;

import io.raceguard.idempotency.Idempotency;
import io.raceguard.idempotency.IdempotencyKey;
import io.raceguard.idempotency.IdempotentResult;
import io.raceguard.idempotency.spi.IdempotencyStore;
import io.raceguard.internal.Inputs;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.IntPredicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes POST and PATCH routes safe to retry with the {@code Idempotency-Key} request header, as
 * {@code draft-ietf-httpapi-idempotency-key-header} (-07) and Stripe describe it: the handler runs once
 * per key, and every retry gets the first response back, byte for byte.
 *
 * <pre>{@code
 * IdempotencyFilter filter = IdempotencyFilter.builder(store)   // in-memory, JDBC or Redis
 *         .requireKey("/charges", "/refunds/*")
 *         .principal(PrincipalResolver.userPrincipal())
 *         .build();
 * context.addFilter("idempotency", filter).addMappingForUrlPatterns(null, false, "/*");
 * }</pre>
 *
 * <p><b>What each request gets.</b> Requests whose method is not one of {@link Builder#methods} (by
 * default {@code POST} and {@code PATCH}; {@code GET} and {@code HEAD} pass untouched) or whose path
 * matches no route pass through. On a route:
 *
 * <ol>
 *   <li>No {@code Idempotency-Key} header: {@code 400} on a {@link Builder#requireKey} route; on an
 *       {@link Builder#acceptKey} route the request passes through untouched.
 *   <li>The header is read as an RFC 8941 sf-string ({@code "8e0397..."}) or a bare token (an
 *       unquoted UUID). Two headers, an empty or malformed value, or one longer than {@link
 *       Builder#maxKeyLength} (255 characters by default): {@code 400}.
 *   <li>The scope is the route's method and pattern and the SHA-256 of the principal that {@link
 *       Builder#principal} resolves (by default the container's authenticated user): one client's key
 *       never reaches another client's response. No principal: {@code 401}.
 *   <li>The body is read, up to {@link Builder#maxRequestBytes} (1 MiB by default; more: {@code 413}).
 *       The fingerprint is the SHA-256 of the method, path, query, the {@link
 *       Builder#fingerprintHeaders} ({@code Content-Type} by default) and the body.
 *   <li>The key is claimed in the store in one atomic step ({@link Idempotency}). If it is new, the
 *       handler runs with the body served again from memory and its response held back, then the
 *       response is recorded and sent. If the key is taken with another fingerprint: {@code 422}. If
 *       its first request is still running: {@code 409} with {@code Retry-After} (whole seconds, at
 *       least 1). If it completed: the recorded response is replayed.
 * </ol>
 *
 * <p>Every refusal above happens before the store is touched, and its body is an RFC 9457 {@code
 * application/problem+json} document that never quotes the key, principal or body.
 *
 * <p><b>Replays</b> carry the first response's status, body bytes and stored headers ({@code
 * Content-Type}, {@code Location} and {@link Builder#storedHeaders}), in that order, plus {@value
 * #REPLAYED_HEADER}{@code : true}, the one header that tells a replay from a first answer.
 *
 * <p><b>What is recorded.</b> A response whose status passes {@link Builder#storedStatuses} (by default
 * every status below 500) is recorded. Otherwise, or when the handler throws or calls {@code
 * sendError}, the response goes to the client unrecorded and the claim is released, so a retry runs
 * the handler again. {@code sendRedirect} is recorded as its status and {@code Location}. A body larger
 * than {@link Builder#maxResponseBytes} (1 MiB by default) is streamed to the client as it is written
 * and not kept: the key is recorded as executed without a replayable response, and its retries get
 * {@code 409} without {@code Retry-After} (the handler does not run again). Handlers on idempotent
 * routes must answer synchronously: one that starts async processing has its claim released.
 *
 * <p><b>Expiry, published as the draft asks.</b> A claim is protected for {@link Builder#lease} (30
 * seconds by default; a retry after it runs the handler again if the first never finished) and a record
 * is kept for {@link Builder#retention} (24 hours by default) from its completion; after that the same
 * key runs the handler anew. {@link #lease()} and {@link #retention()} report them.
 *
 * <p><b>Failure model</b> is {@link Idempotency}'s: store faults propagate as {@link
 * io.raceguard.BackendException} (the container answers 500), and the handler runs a second time only
 * if no response was recorded. Keys and bodies are logged at DEBUG at most.
 *
 * <p>Immutable and thread-safe; one instance serves every request.
 */
public final class IdempotencyFilter implements Filter {

    /** The request header that carries the key. */
    public static final String KEY_HEADER = IdempotencyKeyHeader.NAME;

    /** The response header, valued {@code true}, that marks a replayed response. */
    public static final String REPLAYED_HEADER = "Idempotent-Replayed";

    private static final Logger log = LoggerFactory.getLogger(IdempotencyFilter.class);
    private static final int READ_CHUNK = 8192;

    private final Idempotency idempotency;
    private final Duration lease;
    private final Duration retention;
    private final Map<RoutePattern, Boolean> keyRequiredByRoute;
    private final Set<String> methods;
    private final PrincipalResolver principals;
    private final List<String> fingerprintHeaders;
    private final List<String> storedHeaders;
    private final IntPredicate storedStatuses;
    private final int maxKeyLength;
    private final int maxRequestBytes;
    private final int maxResponseBytes;

    private IdempotencyFilter(Builder builder, Duration lease, Duration retention) {
        Idempotency.Builder core = Idempotency.builder(builder.store).lease(lease).retention(retention);
        this.idempotency = core.build();
        this.lease = lease;
        this.retention = retention;
        Map<RoutePattern, Boolean> routes = new LinkedHashMap<>();
        builder.required.forEach(route -> routes.put(route, true));
        builder.accepted.forEach(route -> routes.put(route, false));
        this.keyRequiredByRoute = Collections.unmodifiableMap(routes);
        this.methods = builder.methods == null ? Set.of("POST", "PATCH") : builder.methods;
        this.principals = builder.principals == null ? PrincipalResolver.userPrincipal() : builder.principals;
        this.fingerprintHeaders = builder.fingerprintHeaders == null
                ? List.of("Content-Type") : List.copyOf(builder.fingerprintHeaders);
        List<String> stored = new ArrayList<>(List.of("Content-Type", "Location"));
        if (builder.storedHeaders != null) {
            builder.storedHeaders.stream().filter(name -> stored.stream().noneMatch(name::equalsIgnoreCase))
                    .forEach(stored::add);
        }
        this.storedHeaders = List.copyOf(stored);
        this.storedStatuses = builder.storedStatuses == null ? status -> status < 500 : builder.storedStatuses;
        this.maxKeyLength = builder.maxKeyLength == null ? Builder.DEFAULT_MAX_KEY_LENGTH : builder.maxKeyLength;
        this.maxRequestBytes = builder.maxRequestBytes == null ? Builder.DEFAULT_MAX_BYTES : builder.maxRequestBytes;
        this.maxResponseBytes = builder.maxResponseBytes == null
                ? Builder.DEFAULT_MAX_BYTES : builder.maxResponseBytes;
    }

    /**
     * @param store where the claims and recorded responses live
     * @return a builder; at least one route must be given
     * @throws NullPointerException if {@code store} is null
     */
    public static Builder builder(IdempotencyStore store) {
        return new Builder(requireNonNull(store, "store"));
    }

    /** @return how long a claim is protected while its handler runs */
    public Duration lease() {
        return lease;
    }

    /** @return how long a completed key's response is kept and replayed */
    public Duration retention() {
        return retention;
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        if (!(request instanceof HttpServletRequest http) || !(response instanceof HttpServletResponse answer)
                || !methods.contains(http.getMethod())) {
            chain.doFilter(request, response);
            return;
        }
        String path = RoutePattern.pathOf(http);
        Optional<Map.Entry<RoutePattern, Boolean>> route = keyRequiredByRoute.entrySet().stream()
                .filter(entry -> entry.getKey().matches(path)).findFirst();
        List<String> keyValues = Collections.list(http.getHeaders(KEY_HEADER));
        if (route.isEmpty() || keyValues.isEmpty() && !route.get().getValue()) {
            chain.doFilter(request, response);
            return;
        }
        try {
            if (keyValues.isEmpty()) {
                throw new BadRequestException(Problem.of(400, "this route requires the " + KEY_HEADER + " header"));
            }
            String key = IdempotencyKeyHeader.parse(keyValues, maxKeyLength);
            String principal = principals.principal(http).orElseThrow(() -> new BadRequestException(
                    Problem.of(401, "an idempotency key is scoped to its client, and this request names none")));
            byte[] body = readBody(http);
            IdempotencyKey scoped = IdempotencyKey.of(http.getMethod() + " " + route.get().getKey().pattern()
                    + " " + RequestFingerprint.digestOf(principal), key);
            byte[] fingerprint = RequestFingerprint.of(http, path, fingerprintHeaders, body);
            run(scoped, fingerprint, new CachedBodyRequest(http, body), answer, chain);
        } catch (BadRequestException refused) {
            log.debug("Refused an idempotent request to {}: {}", path, refused.getMessage());
            refused.problem().send(answer);
        }
    }

    private void run(IdempotencyKey key, byte[] fingerprint, CachedBodyRequest request, HttpServletResponse response,
            FilterChain chain) throws IOException, ServletException {
        CapturingResponse capture = new CapturingResponse(response, maxResponseBytes);
        IdempotentResult<StoredResponse> result;
        try {
            result = idempotency.execute(key, fingerprint, StoredResponse.CODEC, () -> handle(request, capture, chain));
        } catch (NotRecorded unrecorded) {
            log.debug("Answered an idempotent request unrecorded ({}); its key is free again", unrecorded.getMessage());
            if (!capture.errorSent()) {
                capture.release();
            }
            return;
        } catch (IOException | ServletException | RuntimeException | Error failure) {
            throw failure;
        } catch (Exception checked) {
            throw new ServletException(checked);
        }
        if (result instanceof IdempotentResult.Executed<StoredResponse>) {
            capture.release();
        } else if (result instanceof IdempotentResult.Replayed<StoredResponse> replayed) {
            replay(replayed.value(), response);
        } else if (result instanceof IdempotentResult.InProgress<StoredResponse> busy) {
            long seconds = Math.max(1, (busy.retryAfter().toMillis() + 999) / 1000);
            response.setHeader("Retry-After", Long.toString(seconds));
            Problem.of(IdempotencyStatus.IN_PROGRESS, "a request with this key is still being processed")
                    .send(response);
        } else {
            Problem.of(IdempotencyStatus.KEY_REUSED, "this key was used with another request").send(response);
        }
    }

    private StoredResponse handle(CachedBodyRequest request, CapturingResponse capture, FilterChain chain)
            throws IOException, ServletException {
        chain.doFilter(request, capture);
        if (request.isAsyncStarted()) {
            throw new IllegalStateException("IdempotencyFilter needs a synchronous handler; this one started async");
        }
        if (capture.errorSent()) {
            throw new NotRecorded("the handler called sendError");
        }
        int status = capture.getStatus();
        if (!storedStatuses.test(status)) {
            throw new NotRecorded("status " + status + " is not stored");
        }
        if (capture.spilled()) {
            return new StoredResponse(status, List.of(), new byte[0], false);
        }
        List<StoredResponse.Header> headers = new ArrayList<>();
        for (String name : storedHeaders) {
            capture.getHeaders(name).forEach(value -> headers.add(new StoredResponse.Header(name, value)));
        }
        return new StoredResponse(status, headers, capture.body(), true);
    }

    private static void replay(StoredResponse stored, HttpServletResponse response) throws IOException {
        if (!stored.replayable()) {
            Problem.of(IdempotencyStatus.IN_PROGRESS, "the request with this key was processed, and its response"
                    + " was too large to keep; it is not processed again").send(response);
            return;
        }
        response.resetBuffer();
        response.setStatus(stored.status());
        for (StoredResponse.Header header : stored.headers()) {
            response.addHeader(header.name(), header.value());
        }
        response.setHeader(REPLAYED_HEADER, "true");
        response.setContentLength(stored.body().length);
        response.getOutputStream().write(stored.body());
    }

    private byte[] readBody(HttpServletRequest request) throws IOException, BadRequestException {
        long declared = request.getContentLengthLong();
        if (declared > maxRequestBytes) {
            throw tooLarge();
        }
        try (InputStream in = request.getInputStream()) {
            byte[] body = in.readNBytes(maxRequestBytes);
            if (in.read() >= 0) {
                throw tooLarge();
            }
            return body;
        }
    }

    private BadRequestException tooLarge() {
        return new BadRequestException(Problem.of(413,
                "an idempotent request's body must be at most " + maxRequestBytes + " bytes"));
    }

    /** The handler's answer is not to be recorded; the claim is released and the answer sent as it is. */
    private static final class NotRecorded extends RuntimeException {
        private static final long serialVersionUID = 1L;

        NotRecorded(String why) {
            super(why, null, false, false);
        }
    }

    /**
     * Configures an {@link IdempotencyFilter}. Each option may be set once and is checked as it is set;
     * {@link #build} checks that they fit together. Not thread-safe.
     */
    public static final class Builder {

        static final int DEFAULT_MAX_KEY_LENGTH = 255;
        static final int DEFAULT_MAX_BYTES = 1 << 20;
        private static final int LARGEST_KEY_LENGTH = 1024;
        private static final int LARGEST_BODY_BYTES = Integer.MAX_VALUE - 16;

        private final IdempotencyStore store;
        private List<RoutePattern> required = List.of();
        private List<RoutePattern> accepted = List.of();
        private boolean requiredSet;
        private boolean acceptedSet;
        private Set<String> methods;
        private PrincipalResolver principals;
        private Set<String> fingerprintHeaders;
        private Set<String> storedHeaders;
        private IntPredicate storedStatuses;
        private Integer maxKeyLength;
        private Integer maxRequestBytes;
        private Integer maxResponseBytes;
        private Duration lease;
        private Duration retention;

        private Builder(IdempotencyStore store) {
            this.store = store;
        }

        /**
         * Routes on which a request without a key is refused with {@code 400}.
         *
         * @param pathPatterns exact paths ({@code /charges}), prefixes ({@code /orders/*}) or {@code /*},
         *     within the context
         * @return this builder
         * @throws NullPointerException if a pattern is null
         * @throws IllegalArgumentException if no pattern is given or one is malformed
         * @throws IllegalStateException if the required routes were already set
         */
        public Builder requireKey(String... pathPatterns) {
            Options.requireUnset(requiredSet ? required : null, "requireKey");
            required = routes(pathPatterns, "requireKey");
            requiredSet = true;
            return this;
        }

        /**
         * Routes on which a key is honoured when sent, and a request without one passes through.
         *
         * @param pathPatterns as for {@link #requireKey}
         * @return this builder
         * @throws NullPointerException if a pattern is null
         * @throws IllegalArgumentException if no pattern is given or one is malformed
         * @throws IllegalStateException if the optional routes were already set
         */
        public Builder acceptKey(String... pathPatterns) {
            Options.requireUnset(acceptedSet ? accepted : null, "acceptKey");
            accepted = routes(pathPatterns, "acceptKey");
            acceptedSet = true;
            return this;
        }

        /**
         * @param methods the methods the filter applies to; default {@code POST} and {@code PATCH}
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
         * @param principals tells which client sent a request, the scope of its keys; default
         *     {@link PrincipalResolver#userPrincipal()}
         * @return this builder
         * @throws NullPointerException if {@code principals} is null
         * @throws IllegalStateException if the resolver was already set
         */
        public Builder principal(PrincipalResolver principals) {
            Options.requireUnset(this.principals, "principal");
            this.principals = requireNonNull(principals, "principals");
            return this;
        }

        /**
         * @param headerNames request headers that make part of the fingerprint; default {@code Content-Type};
         *     none at all is allowed
         * @return this builder
         * @throws NullPointerException if a name is null
         * @throws IllegalArgumentException if a name is not an HTTP token
         * @throws IllegalStateException if the fingerprint headers were already set
         */
        public Builder fingerprintHeaders(String... headerNames) {
            Options.requireUnset(fingerprintHeaders, "fingerprintHeaders");
            fingerprintHeaders = Options.tokens(headerNames, "fingerprintHeaders", true);
            return this;
        }

        /**
         * @param headerNames response headers to record and replay besides {@code Content-Type} and {@code
         *     Location}, which always are
         * @return this builder
         * @throws NullPointerException if a name is null
         * @throws IllegalArgumentException if none is given or a name is not an HTTP token
         * @throws IllegalStateException if the stored headers were already set
         */
        public Builder storedHeaders(String... headerNames) {
            Options.requireUnset(storedHeaders, "storedHeaders");
            storedHeaders = Options.tokens(headerNames, "storedHeaders", false);
            return this;
        }

        /**
         * @param statuses which response statuses are recorded and replayed; the others are sent and their
         *     key released for a retry. Default: every status below 500. Stripe's replay-everything is
         *     {@code status -> true}
         * @return this builder
         * @throws NullPointerException if {@code statuses} is null
         * @throws IllegalStateException if the stored statuses were already set
         */
        public Builder storedStatuses(IntPredicate statuses) {
            Options.requireUnset(storedStatuses, "storedStatuses");
            storedStatuses = requireNonNull(statuses, "statuses");
            return this;
        }

        /**
         * @param characters the longest key accepted, from 1 to 1024; default 255
         * @return this builder
         * @throws IllegalArgumentException if out of range
         * @throws IllegalStateException if the limit was already set
         */
        public Builder maxKeyLength(int characters) {
            Options.requireUnset(maxKeyLength, "maxKeyLength");
            maxKeyLength = inRange(characters, LARGEST_KEY_LENGTH, "maxKeyLength");
            return this;
        }

        /**
         * @param bytes the largest request body read and fingerprinted, from 1 to 2^31 - 17; default 1 MiB.
         *     A larger request gets {@code 413}
         * @return this builder
         * @throws IllegalArgumentException if out of range
         * @throws IllegalStateException if the limit was already set
         */
        public Builder maxRequestBytes(int bytes) {
            Options.requireUnset(maxRequestBytes, "maxRequestBytes");
            maxRequestBytes = inRange(bytes, LARGEST_BODY_BYTES, "maxRequestBytes");
            return this;
        }

        /**
         * @param bytes the largest response body held back and recorded, from 1 to 2^31 - 17; default 1 MiB.
         *     A larger one is streamed and not replayable (see the class documentation)
         * @return this builder
         * @throws IllegalArgumentException if out of range
         * @throws IllegalStateException if the limit was already set
         */
        public Builder maxResponseBytes(int bytes) {
            Options.requireUnset(maxResponseBytes, "maxResponseBytes");
            maxResponseBytes = inRange(bytes, LARGEST_BODY_BYTES, "maxResponseBytes");
            return this;
        }

        /**
         * @param lease how long a claim is protected while its handler runs, from 1 ms to 365 days;
         *     default 30 seconds; choose it longer than the handler's slowest run
         * @return this builder
         * @throws NullPointerException if {@code lease} is null
         * @throws IllegalArgumentException if out of range
         * @throws IllegalStateException if the lease was already set
         */
        public Builder lease(Duration lease) {
            Options.requireUnset(this.lease, "lease");
            this.lease = Inputs.requirePositive(lease, "lease");
            return this;
        }

        /**
         * @param retention how long a completed key's response is replayed, from 1 ms to 365 days and at
         *     least the lease; default 24 hours
         * @return this builder
         * @throws NullPointerException if {@code retention} is null
         * @throws IllegalArgumentException if out of range
         * @throws IllegalStateException if the retention was already set
         */
        public Builder retention(Duration retention) {
            Options.requireUnset(this.retention, "retention");
            this.retention = Inputs.requirePositive(retention, "retention");
            return this;
        }

        /**
         * @return the filter
         * @throws IllegalStateException if no route was given
         * @throws IllegalArgumentException if a pattern is both required and accepted, or the retention is
         *     shorter than the lease
         */
        public IdempotencyFilter build() {
            if (required.isEmpty() && accepted.isEmpty()) {
                throw new IllegalStateException("name at least one route with requireKey or acceptKey");
            }
            for (RoutePattern route : required) {
                if (accepted.contains(route)) {
                    throw new IllegalArgumentException(
                            "route " + route.pattern() + " cannot both require and merely accept a key");
                }
            }
            Duration chosenLease = lease == null ? Duration.ofSeconds(30) : lease;
            Duration chosenRetention = retention == null ? Duration.ofHours(24) : retention;
            if (chosenRetention.compareTo(chosenLease) < 0) {
                throw new IllegalArgumentException(
                        "retention (" + chosenRetention + ") must be at least the lease (" + chosenLease + ")");
            }
            return new IdempotencyFilter(this, chosenLease, chosenRetention);
        }

        private static List<RoutePattern> routes(String[] patterns, String option) {
            requireNonNull(patterns, option);
            if (patterns.length == 0) {
                throw new IllegalArgumentException(option + " must name at least one path pattern");
            }
            List<RoutePattern> routes = new ArrayList<>();
            for (String pattern : patterns) {
                routes.add(new RoutePattern(requireNonNull(pattern, option + " element")));
            }
            return List.copyOf(routes);
        }

        private static int inRange(int value, int largest, String option) {
            if (value < 1 || value > largest) {
                throw new IllegalArgumentException(option + " must be in 1.." + largest + ", was " + value);
            }
            return value;
        }
    }
}
