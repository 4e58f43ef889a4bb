package io.raceguard.examples.demo;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Calls the shop's {@code POST /reset} and {@code GET /state/{mode}}, one at a time. Thread-safe. */
final class ShopClient {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final URI shop;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    ShopClient(URI shop) {
        this.shop = shop;
    }

    void reset() {
        send(HttpRequest.newBuilder(shop.resolve("/reset")).POST(HttpRequest.BodyPublishers.noBody()));
    }

    ShopSnapshot state(String mode) {
        return ShopSnapshot.parse(send(HttpRequest.newBuilder(shop.resolve("/state/" + mode)).GET()));
    }

    private String send(HttpRequest.Builder request) {
        HttpRequest built = request.timeout(TIMEOUT).build();
        try {
            HttpResponse<String> response = http.send(built, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException(built.method() + " " + built.uri().getPath() + " answered "
                        + response.statusCode() + ": " + response.body());
            }
            return response.body();
        } catch (IOException failed) {
            throw new IllegalStateException(built.method() + " " + built.uri().getPath() + " failed: " + failed,
                    failed);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted during " + built.method() + " " + built.uri().getPath(),
                    interrupted);
        }
    }
}
