package io.raceguard.testing;

/**
 * A once-only claim (a coupon, a sign-up) written as check-then-act: look, pause as a store round trip
 * would, then mark it taken. Calls released together all look before any marks.
 */
final class NaiveClaim {

    private volatile boolean claimed;

    void reset() {
        claimed = false;
    }

    boolean claim() throws InterruptedException {
        if (claimed) {
            return false;
        }
        Thread.sleep(10);
        claimed = true;
        return true;
    }
}
