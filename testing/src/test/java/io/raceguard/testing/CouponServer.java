package io.raceguard.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;

/**
 * A JDK {@code HttpServer} on loopback with a once-only coupon behind two endpoints:
 * {@code POST /naive/redeem} checks, pauses, then marks the coupon used; {@code POST /guarded/redeem}
 * marks it with one compare-and-set. Both answer 200 when they redeemed and 409 when not, and echo
 * {@value #ARRIVAL_HEADER}: the server's {@code nanoTime} once it had read the whole request.
 */
final class CouponServer implements AutoCloseable {

    static final String ARRIVAL_HEADER = "X-Arrival-Nanos";

    private final HttpServer server;
    private final ExecutorService handlers = Executors.newCachedThreadPool();
    private final AtomicBoolean redeemed = new AtomicBoolean();

    CouponServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 128);
        server.setExecutor(handlers);
        server.createContext("/naive/redeem", exchange -> handle(exchange, this::naiveRedeem));
        server.createContext("/guarded/redeem",
                exchange -> handle(exchange, () -> redeemed.compareAndSet(false, true)));
        server.start();
    }

    URI base() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    void reset() {
        redeemed.set(false);
    }

    private boolean naiveRedeem() {
        if (redeemed.get()) {
            return false;
        }
        try {
            Thread.sleep(20); // the database round trip between the check and the write
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        redeemed.set(true);
        return true;
    }

    private static void handle(HttpExchange exchange, BooleanSupplier redeem) throws IOException {
        try (exchange) {
            exchange.getRequestBody().readAllBytes();
            long arrival = System.nanoTime();
            boolean redeemedNow = redeem.getAsBoolean();
            byte[] body = (redeemedNow ? "redeemed" : "already used").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set(ARRIVAL_HEADER, Long.toString(arrival));
            exchange.sendResponseHeaders(redeemedNow ? 200 : 409, body.length);
            exchange.getResponseBody().write(body);
        }
    }

    @Override
    public void close() throws InterruptedException {
        server.stop(0);
        handlers.shutdownNow();
        if (!handlers.awaitTermination(10, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the coupon server's handlers did not stop");
        }
    }
}
