package io.raceguard.examples.demo;

import io.raceguard.testing.http.RaceRequest;
import java.util.Map;
import java.util.function.IntFunction;
import java.util.function.ToLongFunction;

/**
 * One seed attack: the same endpoint hit by N concurrent requests, and how to read from the shop's
 * state how many of them changed it.
 *
 * @param path the endpoint after the mode, e.g. {@code /coupons/redeem}
 * @param counted what one state change is, in words, e.g. {@code redemptions}
 * @param allowed how many state changes the business rule allows per round
 * @param form the form of the request with the given index
 * @param headers headers every request carries
 * @param observed the state changes a snapshot shows
 */
record Attack(String path, String counted, long allowed, IntFunction<Map<String, String>> form,
        Map<String, String> headers, ToLongFunction<ShopSnapshot> observed) {

    /** @return e.g. {@code POST /coupons/redeem} */
    String endpoint() {
        return "POST " + path;
    }

    RaceRequest request(String mode, int index) {
        RaceRequest request = RaceRequest.post("/" + mode + path);
        for (Map.Entry<String, String> header : headers.entrySet()) {
            request = request.header(header.getKey(), header.getValue());
        }
        return request.form(form.apply(index));
    }
}
