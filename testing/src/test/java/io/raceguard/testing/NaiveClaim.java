package io.raceguard.testing;

/**
 * A once-only claim (a coupon, a sign-up) written as check-then-act: look, pause as a store round trip
 * would, then mark it taken. Calls released together all look before any marks.
 */
public final class NaiveClaim {

    private volatile boolean claimed;

    public void reset() {
        claimed = false;
    }

    public boolean claim() throws InterruptedException {
        if (claimed) {
            return false;
        }
        Thread.sleep(10);
        claimed = true;
        return true;
    }
}
