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

    /** Concurrent requests per round. */
    static final int REQUESTS = 20;

    /** Rounds per endpoint and mode. */
    static final int ROUNDS = 5;

    private static final List<String> MODES = List.of("naive", AttackResult.GUARDED);

    private final HttpRace race;
    private final ShopClient shop;

    DemoRun(URI shop) {
        this.race = HttpRace.to(shop).arrivalHeader(Shop.ARRIVAL_HEADER);
        this.shop = new ShopClient(shop);
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

    private AttackResult attack(Attack attack, String mode) {
        List<RaceRequest> requests = IntStream.range(0, REQUESTS).mapToObj(i -> attack.request(mode, i)).toList();
        List<Round> rounds = new ArrayList<>(ROUNDS);
        for (int round = 0; round < ROUNDS; round++) {
            shop.reset();
            RaceVolley volley = race.fire(requests);
            long observed = attack.observed().applyAsLong(shop.state(mode));
            rounds.add(new Round(observed, statuses(volley), volley.releaseSpread(), volley.arrivalSpread()));
        }
        return new AttackResult(attack, mode, rounds);
    }

    private static Map<Integer, Long> statuses(RaceVolley volley) {
        return volley.responses().stream()
                .collect(Collectors.groupingBy(RaceResponse::status, TreeMap::new, Collectors.counting()));
    }
}
