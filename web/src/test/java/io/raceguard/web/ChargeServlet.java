package io.raceguard.web;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The endpoint under test: each POST is a charge, numbered in order. It answers 201 with a {@code
 * Location}, an {@code X-Charge-Id} and a JSON body that echoes the request body, after an optional
 * pause that keeps it running while duplicates arrive. {@link #failNext()} makes the next call throw,
 * {@link #holdNext()} keeps the next call running until the test lets it go; {@code ?status=N} answers
 * N, {@code ?bytes=N} answers a body of N bytes.
 */
final class ChargeServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    private final AtomicInteger charges = new AtomicInteger();
    private final AtomicBoolean failNext = new AtomicBoolean();
    private final AtomicReference<Hold> holdNext = new AtomicReference<>();
    private final long pauseMillis;

    /** A call held inside the servlet: {@code entered} opens when it arrives, it leaves once {@code release} opens. */
    record Hold(CountDownLatch entered, CountDownLatch release) {}

    ChargeServlet(long pauseMillis) {
        this.pauseMillis = pauseMillis;
    }

    int charges() {
        return charges.get();
    }

    void failNext() {
        failNext.set(true);
    }

    Hold holdNext() {
        Hold hold = new Hold(new CountDownLatch(1), new CountDownLatch(1));
        holdNext.set(hold);
        return hold;
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String body = new String(request.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (failNext.getAndSet(false)) {
            throw new IllegalStateException("the payment provider is down");
        }
        int charge = charges.incrementAndGet();
        pause();
        Hold hold = holdNext.getAndSet(null);
        if (hold != null) {
            hold.entered().countDown();
            await(hold.release());
        }
        String status = request.getParameter("status");
        String size = request.getParameter("bytes");
        byte[] answer = size != null
                ? "x".repeat(Integer.parseInt(size)).getBytes(StandardCharsets.UTF_8)
                : ("{\"charge\":" + charge + ",\"request\":\"" + body + "\"}").getBytes(StandardCharsets.UTF_8);
        response.setStatus(status == null ? 201 : Integer.parseInt(status));
        response.setContentType("application/json");
        response.setHeader("Location", "/charges/" + charge);
        response.setHeader("X-Charge-Id", "ch_" + charge);
        response.setHeader("X-Not-Stored", "transient");
        response.getOutputStream().write(answer);
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        response.setContentType("text/plain");
        response.getWriter().write("charges: " + charges.get());
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private void pause() {
        if (pauseMillis == 0) {
            return;
        }
        try {
            Thread.sleep(pauseMillis);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
