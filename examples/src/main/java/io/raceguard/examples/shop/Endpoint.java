package io.raceguard.examples.shop;

/**
 * One endpoint of the shop in both versions: {@code POST /naive/<path>} runs the textbook
 * check-then-act, {@code POST /guarded/<path>} the same feature on Raceguard. Implementations are
 * thread-safe: the server calls them from many threads at once.
 */
interface Endpoint {

    /** @return the path after the mode, e.g. {@code /coupons/redeem} */
    String path();

    /** @return the reply of the check-then-act version */
    Reply naive(ShopRequest request);

    /** @return the reply of the Raceguard version */
    Reply guarded(ShopRequest request);
}
