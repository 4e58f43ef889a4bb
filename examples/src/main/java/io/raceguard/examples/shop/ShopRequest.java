package io.raceguard.examples.shop;

import com.sun.net.httpserver.Headers;
import java.util.Optional;

/**
 * One POST to an endpoint: its form fields and its request headers.
 *
 * @param form the parsed body
 * @param headers the request headers, names matched case-insensitively
 */
record ShopRequest(Form form, Headers headers) {

    Optional<String> header(String name) {
        return Optional.ofNullable(headers.getFirst(name));
    }
}
