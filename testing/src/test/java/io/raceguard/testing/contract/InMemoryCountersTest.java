package io.raceguard.testing.contract;

import io.raceguard.counter.Counters;
import io.raceguard.counter.InMemoryCounters;
import io.raceguard.testing.contract.CountersContract;

final class InMemoryCountersTest extends CountersContract {

    @Override
    protected Counters counters() {
        return InMemoryCounters.create();
    }
}
