package io.raceguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.raceguard.examples.shop.Shop;
import io.raceguard.examples.shop.ShopSettings;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The built jar against the demo shop, for every endpoint pair: each naive endpoint is reported as a race
 * (exit 1), each guarded one holds (exit 0), judged by the change in {@code GET /state/{mode}}; over
 * HTTP/1.1 with last-byte sync and over HTTP/2 (h2c) with single-packet volleys.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
final class ShopRaceIT {

    private static Shop shop;

    @BeforeAll
    static void startShop() throws Exception {
        shop = Shop.start(ShopSettings.embedded());
    }

    @AfterAll
    static void stopShop() {
        shop.close();
    }

    /** Each endpoint over each protocol: the protocol flag, the path, the state it changes, the request. */
    static Stream<Arguments> endpoints() {
        return Stream.of("--http1", "--http2").flatMap(ShopRaceIT::endpointsOver);
    }

    private static Stream<Arguments> endpointsOver(String protocol) {
        return Stream.of(
                endpoint(protocol, "/coupons/redeem", "/coupon_redemptions", "1", "-d", "code=SAVE20&user=u{i}"),
                endpoint(protocol, "/transfer", "/balances/2", "200", "-d", "from=1&to=2&amount=100"),
                endpoint(protocol, "/signup", "/users", "1", "-d", "email=alice@example.com"),
                endpoint(protocol, "/orders", "/orders", "1", "-d", "item=99"),
                endpoint(protocol, "/login", "/login_attempts_allowed", "5", "-d", "user=alice&password=guess-{i}"),
                endpoint(protocol, "/charge", "/charges", "1", "-d", "amount=100",
                        "-H", "Idempotency-Key: checkout-7f3a"),
                endpoint(protocol, "/fulfilment", "/order_settlements", "1", "-d", "order=7&action=cancel"));
    }

    private static Arguments endpoint(String protocol, String path, String pointer, String change,
            String... request) {
        return Arguments.of(protocol, path, pointer, change, List.of(request));
    }

    @ParameterizedTest(name = "{0} naive {1}")
    @MethodSource("endpoints")
    void shouldReportEveryNaiveEndpointAsARace(String protocol, String path, String pointer, String change,
            List<String> request) throws Exception {
        RaceJar.Run run = RaceJar.run(arguments(protocol, "naive", path, pointer, change, request));

        assertThat(run.exitStatus()).as(run.toString()).isEqualTo(RaceCommand.RACE);
        assertThat(run.out()).contains("RACE in ", "state " + pointer,
                protocol.equals("--http2") ? "HTTP/2 single-packet" : "HTTP/1.1 last-byte sync");
    }

    @ParameterizedTest(name = "{0} guarded {1}")
    @MethodSource("endpoints")
    void shouldFindEveryGuardedEndpointHolding(String protocol, String path, String pointer, String change,
            List<String> request) throws Exception {
        RaceJar.Run run = RaceJar.run(arguments(protocol, "guarded", path, pointer, change, request));

        assertThat(run.exitStatus()).as(run.toString()).isEqualTo(RaceCommand.HELD);
        assertThat(run.out()).contains("holds in every round").doesNotContain("RACE");
    }

    private static List<String> arguments(String protocol, String mode, String path, String pointer,
            String change, List<String> request) {
        String base = shop.uri().toString();
        List<String> arguments = new ArrayList<>(List.of("--times", "20", "--rounds", "2", protocol,
                "--before-each", "POST", base + "/reset",
                "--state", "GET", base + "/state/" + mode, "--json-pointer", pointer, "--expect-change", change));
        arguments.addAll(request);
        arguments.add(base + "/" + mode + path);
        return arguments;
    }
}
