package io.raceguard.examples.shop;

import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * One POST to an endpoint: its form fields and its request headers.
 *
 * @param form the parsed body
 * @param headers a request header's first value by name, matched case-insensitively; null if absent
 */
record ShopRequest(Form form, UnaryOperator<String> headers) {

    Optional<String> header(String name) {
        return Optional.ofNullable(headers.apply(name));
    }
}
