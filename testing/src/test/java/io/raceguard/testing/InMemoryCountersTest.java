package io.raceguard.testing;

import io.raceguard.guard.Counters;
import io.raceguard.guard.InMemoryCounters;

final class InMemoryCountersTest extends CountersContract {

    @Override
    protected Counters counters() {
        return InMemoryCounters.create();
    }
}
