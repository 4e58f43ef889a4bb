package io.raceguard.examples;

import io.raceguard.examples.shop.Shop;
import io.raceguard.examples.shop.ShopSettings;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The service under test: the demo shop, started once per test class on a free port and stopped
 * after it, with its reset and state endpoints reached over HTTP, the way a test reaches the service
 * it tests: {@code POST /reset} before each round, {@code GET /state/{mode}} to see what a round
 * changed.
 */
final class RunningShop implements BeforeAllCallback, AfterAllCallback {

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private Shop shop;

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        shop = Shop.start(ShopSettings.embedded());
    }

    @Override
    public void afterAll(ExtensionContext context) {
        shop.close();
    }

    /** @return the shop's base URI, e.g. {@code http://127.0.0.1:41234} */
    URI uri() {
        return shop.uri();
    }

    void reset() throws IOException, InterruptedException {
        send(HttpRequest.newBuilder(uri().resolve("/reset")).POST(HttpRequest.BodyPublishers.noBody()));
    }

    /** @return a number of {@code GET /state/{mode}}, e.g. {@code coupon_redemptions} */
    long state(String mode, String name) throws IOException, InterruptedException {
        String state = send(HttpRequest.newBuilder(uri().resolve("/state/" + mode)).GET());
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
