package io.raceguard.testing;

import io.raceguard.counter.Counters;
import io.raceguard.counter.InMemoryCounters;

final class InMemoryCountersTest extends CountersContract {

    @Override
    protected Counters counters() {
        return InMemoryCounters.create();
    }
}
