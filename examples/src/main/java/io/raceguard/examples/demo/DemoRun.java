package io.raceguard.examples.demo;

import io.raceguard.examples.shop.Shop;
import io.raceguard.testing.http.HttpRace;
import io.raceguard.testing.http.RaceRequest;
import io.raceguard.testing.http.RaceResponse;
import io.raceguard.testing.http.RaceVolley;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Hammers every endpoint of a running shop, naive then guarded: per round, {@code POST /reset}, N
 * concurrent requests with last-byte synchronisation, then {@code GET /state/{mode}}.
 */
final class DemoRun {

    /** Concurrent requests per round, unless told otherwise. */
    static final int REQUESTS = 20;

    /** Rounds per endpoint and mode, unless told otherwise. */
    static final int ROUNDS = 5;

    private static final List<String> MODES = List.of("naive", AttackResult.GUARDED);

    private final HttpRace race;
    private final ShopClient shop;
    private final int requests;
    private final int rounds;

    DemoRun(URI shop) {
        this(shop, REQUESTS, ROUNDS);
    }

    /**
     * @param requests concurrent requests per round, at least 1
     * @param rounds rounds per endpoint and mode, at least 1
     * @throws IllegalArgumentException if {@code requests} or {@code rounds} is below 1
     */
    DemoRun(URI shop, int requests, int rounds) {
        if (requests < 1 || rounds < 1) {
            throw new IllegalArgumentException(
                    "requests and rounds must be >= 1, were " + requests + " and " + rounds);
        }
        this.race = HttpRace.to(shop).arrivalHeader(Shop.ARRIVAL_HEADER);
        this.shop = new ShopClient(shop);
        this.requests = requests;
        this.rounds = rounds;
    }

    /**
     * @param onResult told of each result as soon as it is known
     * @return every result
     */
    DemoReport run(Consumer<AttackResult> onResult) {
        List<AttackResult> results = new ArrayList<>();
        for (Attack attack : Attacks.all()) {
            for (String mode : MODES) {
                AttackResult result = attack(attack, mode);
                onResult.accept(result);
                results.add(result);
            }
        }
        return new DemoReport(results);
    }

    /** Runs every round of one attack against one mode ({@code naive} or {@code guarded}). */
    AttackResult attack(Attack attack, String mode) {
        List<RaceRequest> volley = IntStream.range(0, requests).mapToObj(i -> attack.request(mode, i)).toList();
        List<Round> played = new ArrayList<>(rounds);
        for (int round = 0; round < rounds; round++) {
            shop.reset();
            RaceVolley fired = race.fire(volley);
            long observed = attack.observed().applyAsLong(shop.state(mode));
            played.add(new Round(observed, statuses(fired), fired.releaseSpread(), fired.arrivalSpread()));
        }
        return new AttackResult(attack, mode, played);
    }

    private static Map<Integer, Long> statuses(RaceVolley volley) {
        return volley.responses().stream()
                .collect(Collectors.groupingBy(RaceResponse::status, TreeMap::new, Collectors.counting()));
    }
}
