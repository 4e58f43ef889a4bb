package io.raceguard.examples.shop;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
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
 * {@code GET /state/{naive|guarded}}. Every response is JSON; {@link ArrivalStamp} in front of it
 * echoes when each request arrived. Thread-safe.
 */
final class ShopServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(ShopServlet.class);
    private static final int MAX_BODY_BYTES = 16 * 1024;

    private final transient Map<String, Endpoint> endpoints;
    private final transient ShopReset reset;
    private final transient ShopState state;

    ShopServlet(List<Endpoint> endpoints, ShopReset reset, ShopState state) {
        this.endpoints = endpoints.stream().collect(Collectors.toUnmodifiableMap(Endpoint::path, Function.identity()));
        this.reset = reset;
        this.state = state;
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        byte[] body = request.getInputStream().readNBytes(MAX_BODY_BYTES + 1);
        String path = request.getRequestURI();
        Reply reply;
        try {
            reply = body.length > MAX_BODY_BYTES
                    ? Reply.error(413, "the body must be at most " + MAX_BODY_BYTES + " bytes")
                    : route(request.getMethod(), path, body, request);
        } catch (BadRequestException bad) {
            reply = Reply.error(400, bad.getMessage());
        } catch (RuntimeException fault) {
            LOG.warn("{} {} failed", request.getMethod(), path, fault);
            reply = Reply.error(500, "internal error");
        }
        send(response, reply);
    }

    private Reply route(String method, String path, byte[] body, HttpServletRequest request) {
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
            ShopRequest shopRequest = new ShopRequest(Form.parse(body), request::getHeader);
            return mode.get() == Mode.NAIVE ? endpoint.naive(shopRequest) : endpoint.guarded(shopRequest);
        });
    }

    private static Optional<Reply> requireMethod(String allowed, String method) {
        return method.equals(allowed)
                ? Optional.empty()
                : Optional.of(Reply.error(405, "use " + allowed).withHeader("Allow", allowed));
    }

    private static Reply notFound() {
        return Reply.error(404, "no such endpoint; see POST /{naive|guarded}/coupons/redeem, /transfer, /signup,"
                + " /orders, /login, /charge, /fulfilment, POST /reset and GET /state/{naive|guarded}");
    }

    private static void send(HttpServletResponse response, Reply reply) throws IOException {
        byte[] json = reply.body().toString().getBytes(StandardCharsets.UTF_8);
        response.setStatus(reply.status());
        response.setContentType("application/json;charset=utf-8");
        reply.headers().forEach(response::setHeader);
        response.setContentLength(json.length);
        response.getOutputStream().write(json);
    }
}
