package io.raceguard.testing;

import static java.util.Objects.requireNonNull;

import io.raceguard.testing.http.HttpRace;
import io.raceguard.testing.http.HttpRaceException;
import io.raceguard.testing.http.RaceRequest;
import io.raceguard.testing.http.RaceResponse;
import io.raceguard.testing.http.RaceVolley;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;

/** Fires a round as one {@link HttpRace} volley: a response per request, the release and arrival spreads. */
final class HttpVolley implements Volley<RaceResponse> {

    private final HttpRace race;
    private final IntFunction<RaceRequest> request;

    HttpVolley(HttpRace race, IntFunction<RaceRequest> request) {
        this.race = requireNonNull(race, "race");
        this.request = requireNonNull(request, "request");
    }

    @Override
    public Round<RaceResponse> fire(int number, int times) {
        List<RaceRequest> requests = new ArrayList<>(times);
        for (int worker = 0; worker < times; worker++) {
            RaceRequest built = request.apply(worker);
            if (built == null) {
                throw new HammerException("the request function returned null for request " + worker, null);
            }
            requests.add(built);
        }
        RaceVolley volley;
        try {
            volley = race.fire(requests);
        } catch (HttpRaceException e) {
            throw new HammerException("round " + number + " could not be fired: " + e.getMessage(), e);
        }
        List<CallResult<RaceResponse>> calls = new ArrayList<>(times);
        for (int worker = 0; worker < times; worker++) {
            RaceResponse response = volley.response(worker);
            calls.add(CallResult.returned(worker, response, response.releasedAtNanos(), response.latency().toNanos(), -1));
        }
        return new Round<>(number, calls, volley.releaseSpread(), volley.arrivalSpread().orElse(null));
    }

    @Override
    public String describe(int times) {
        String technique = race.isSinglePacket() ? " HTTP/2 requests in one packet, "
                : " HTTP/1.1 requests with last-byte sync, ";
        return times + technique + race;
    }

    @Override
    public List<String> warnings(List<Round<RaceResponse>> rounds) {
        return List.of();
    }
}
