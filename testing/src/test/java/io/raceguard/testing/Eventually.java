package io.raceguard.testing;

import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** Waits for a condition that another thread makes true, with a bound generous enough for a loaded machine. */
public final class Eventually {

    private Eventually() {}

    /**
     * @param condition what to wait for
     * @param what the condition in words, for the failure
     * @throws AssertionError if it does not hold within 10 seconds, or the wait is interrupted
     */
    public static void waitUntil(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("timed out waiting until " + what);
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting until " + what, interrupted);
            }
        }
    }
}
