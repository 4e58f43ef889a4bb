package io.raceguard.cli;

import io.raceguard.testing.http.HttpRace;
import io.raceguard.testing.http.RaceRequest;
import io.raceguard.testing.http.RaceResponse;
import io.raceguard.testing.http.RaceVolley;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/**
 * Plays the rounds of one {@code race} run: for each, the {@code --before-each} request, the state before,
 * one volley of N requests with their placeholders filled, and the state after.
 *
 * <p>Not thread-safe: one run, one thread. A failed side request or volley ends the run with its
 * exception; requests already released may have taken effect on the server.
 */
final class RaceRounds {

    private final HttpRace race;
    private final RequestTemplate template;
    private final int times;
    private final SideRequest reset;
    private final SideRequest state;
    private final JsonPointer pointer;

    /**
     * @param reset the {@code --before-each} request, or {@code null}
     * @param state the {@code --state} request, or {@code null}
     */
    RaceRounds(HttpRace race, RequestTemplate template, int times, SideRequest reset, SideRequest state,
            JsonPointer pointer) {
        this.race = race;
        this.template = template;
        this.times = times;
        this.reset = reset;
        this.state = state;
        this.pointer = pointer;
    }

    List<RoundResult> play(int rounds) throws IOException {
        List<RoundResult> results = new ArrayList<>(rounds);
        for (int round = 1; round <= rounds; round++) {
            if (reset != null) {
                reset.send();
            }
            BigDecimal before = state == null ? null : state.read(pointer);
            List<RaceRequest> requests = new ArrayList<>(times);
            for (int i = 0; i < times; i++) {
                requests.add(template.request(i));
            }
            RaceVolley volley = race.fire(requests);
            BigDecimal after = state == null ? null : state.read(pointer);
            results.add(new RoundResult(round,
                    RoundResult.histogram(volley.responses().stream().map(RaceResponse::status).toList()),
                    volley.releaseSpread(), volley.arrivalSpread(), before == null ? null : after.subtract(before)));
        }
        return results;
    }
}
