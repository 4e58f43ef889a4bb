package io.raceguard.examples;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The demo shop's reset and state endpoints, reached over HTTP the way a test reaches the service it
 * tests: {@code POST /reset} before each round, {@code GET /state/{mode}} to check what a round
 * changed.
 */
final class ShopApi {

    private final URI base;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    ShopApi(URI base) {
        this.base = base;
    }

    void reset() throws IOException, InterruptedException {
        send(HttpRequest.newBuilder(base.resolve("/reset")).POST(HttpRequest.BodyPublishers.noBody()));
    }

    /** @return a number of {@code GET /state/{mode}}, e.g. {@code coupon_redemptions} */
    long state(String mode, String name) throws IOException, InterruptedException {
        String state = send(HttpRequest.newBuilder(base.resolve("/state/" + mode)).GET());
        Matcher number = Pattern.compile("\"" + name + "\":(-?\\d+)").matcher(state);
        if (!number.find()) {
            throw new IllegalStateException("no " + name + " in " + state);
        }
        return Long.parseLong(number.group(1));
    }

    /** @return the balance of an account, from {@code "balances":{"1":n,"2":n}} */
    long balance(String mode, int account) throws IOException, InterruptedException {
        return state(mode, Integer.toString(account));
    }

    private String send(HttpRequest.Builder request) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(request.timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException(response.uri() + " answered " + response.statusCode());
        }
        return response.body();
    }
}
