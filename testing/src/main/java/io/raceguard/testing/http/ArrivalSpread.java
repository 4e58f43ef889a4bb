package io.raceguard.testing.http;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** The spread of the arrival times a server echoed in a response header: its view of the race window. */
final class ArrivalSpread {

    private ArrivalSpread() {}

    /**
     * @param header the header the server echoes its clock in, or {@code null} when none is configured
     * @return max minus min of the echoed times, or {@code null} if a response lacks a whole number in it
     */
    static Duration of(List<RaceResponse> responses, String header, TimeUnit unit) {
        if (header == null) {
            return null;
        }
        long earliest = Long.MAX_VALUE;
        long latest = Long.MIN_VALUE;
        for (RaceResponse response : responses) {
            Optional<String> echoed = response.header(header);
            if (echoed.isEmpty()) {
                return null;
            }
            long arrival;
            try {
                arrival = Long.parseLong(echoed.get().strip());
            } catch (NumberFormatException notANumber) {
                return null;
            }
            earliest = Math.min(earliest, arrival);
            latest = Math.max(latest, arrival);
        }
        return Duration.ofNanos(unit.toNanos(latest - earliest));
    }
}
