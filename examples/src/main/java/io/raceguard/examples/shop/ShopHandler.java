package io.raceguard.examples.shop;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes the shop's HTTP contract: {@code POST /{naive|guarded}/<endpoint>}, {@code POST /reset} and
 * {@code GET /state/{naive|guarded}}. Every response is JSON and carries {@value #ARRIVAL_HEADER}:
 * {@link System#nanoTime()} read once the whole request was read, so that a client can measure how
 * far apart its requests arrived. Thread-safe.
 */
final class ShopHandler implements HttpHandler {

    /** The response header that echoes when the request arrived, in this JVM's nanoTime. */
    static final String ARRIVAL_HEADER = "X-Arrival-Nanos";

    private static final Logger LOG = LoggerFactory.getLogger(ShopHandler.class);
    private static final int MAX_BODY_BYTES = 16 * 1024;

    private final Map<String, Endpoint> endpoints;
    private final ShopReset reset;
    private final ShopState state;

    ShopHandler(List<Endpoint> endpoints, ShopReset reset, ShopState state) {
        this.endpoints = endpoints.stream().collect(Collectors.toUnmodifiableMap(Endpoint::path, Function.identity()));
        this.reset = reset;
        this.state = state;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try {
            byte[] body = exchange.getRequestBody().readNBytes(MAX_BODY_BYTES + 1);
            long arrivedAt = System.nanoTime();
            Reply reply;
            try {
                reply = body.length > MAX_BODY_BYTES
                        ? Reply.error(413, "the body must be at most " + MAX_BODY_BYTES + " bytes")
                        : route(exchange.getRequestMethod(), exchange.getRequestURI().getPath(), body,
                                exchange.getRequestHeaders());
            } catch (BadRequestException bad) {
                reply = Reply.error(400, bad.getMessage());
            } catch (RuntimeException fault) {
                LOG.warn("{} {} failed", exchange.getRequestMethod(), exchange.getRequestURI().getPath(), fault);
                reply = Reply.error(500, "internal error");
            }
            send(exchange, reply, arrivedAt);
        } finally {
            exchange.close();
        }
    }

    private Reply route(String method, String path, byte[] body, Headers headers) {
        if (path.equals("/reset")) {
            return requireMethod("POST", method).orElseGet(() -> {
                reset.run();
                return Reply.of(200, Json.object().put("reset", true));
            });
        }
        int secondSlash = path.indexOf('/', 1);
        Optional<Mode> mode = secondSlash < 0 ? Optional.empty() : Mode.ofSegment(path.substring(1, secondSlash));
        if (path.startsWith("/state/")) {
            Optional<Mode> stateMode = Mode.ofSegment(path.substring("/state/".length()));
            if (stateMode.isEmpty()) {
                return notFound();
            }
            return requireMethod("GET", method).orElseGet(() -> Reply.of(200, state.of(stateMode.get())));
        }
        Endpoint endpoint = mode.isEmpty() ? null : endpoints.get(path.substring(secondSlash));
        if (endpoint == null) {
            return notFound();
        }
        return requireMethod("POST", method).orElseGet(() -> {
            ShopRequest request = new ShopRequest(Form.parse(body), headers);
            return mode.get() == Mode.NAIVE ? endpoint.naive(request) : endpoint.guarded(request);
        });
    }

    private static Optional<Reply> requireMethod(String allowed, String method) {
        return method.equals(allowed)
                ? Optional.empty()
                : Optional.of(Reply.error(405, "use " + allowed).withHeader("Allow", allowed));
    }

    private static Reply notFound() {
        return Reply.error(404, "no such endpoint; see POST /{naive|guarded}/coupons/redeem, /transfer, /signup,"
                + " /orders, /login, /charge, POST /reset and GET /state/{naive|guarded}");
    }

    private static void send(HttpExchange exchange, Reply reply, long arrivedAt) throws IOException {
        byte[] json = reply.body().toString().getBytes(StandardCharsets.UTF_8);
        Headers headers = exchange.getResponseHeaders();
        headers.set("Content-Type", "application/json; charset=utf-8");
        headers.set(ARRIVAL_HEADER, Long.toString(arrivedAt));
        reply.headers().forEach(headers::set);
        exchange.sendResponseHeaders(reply.status(), json.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(json);
        }
    }
}
