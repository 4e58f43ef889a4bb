package io.raceguard.examples.shop;

import java.time.Duration;

/**
 * Stands in for the slow call a real endpoint makes between its check and its act (a fraud check,
 * a payment provider, a password hash): it only waits. That pause is what turns a check-then-act
 * into a race any two concurrent requests can win together. Thread-safe.
 */
final class SimulatedCall {

    private final String name;
    private final Duration latency;

    SimulatedCall(String name, Duration latency) {
        this.name = name;
        this.latency = latency;
    }

    void run() {
        try {
            Thread.sleep(latency.toMillis(), latency.toNanosPart() % 1_000_000);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted during the " + name, interrupted);
        }
    }
}
