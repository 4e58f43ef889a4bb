package io.raceguard.redis;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The Raceguard threads (lease scheduler, release subscription, Redlock calls) that started after
 * this snapshot, to prove that none is left running once a lock manager is closed.
 */
final class OwnThreads {

    private static final Set<String> PREFIXES = Set.of("raceguard-leases-", "raceguard-redis-", "raceguard-redlock-");

    private static final long JOIN_MILLIS = 1_000;

    private final Set<Thread> before = running();

    /**
     * Asserts that every such thread started since the snapshot has ended. A pool counts as
     * terminated a moment before its last thread returns, so each gets a second to finish.
     *
     * @throws InterruptedException if interrupted while joining
     */
    void assertAllEnded() throws InterruptedException {
        Set<Thread> started = new HashSet<>(running());
        started.removeAll(before);
        for (Thread thread : started) {
            thread.join(JOIN_MILLIS);
        }
        assertThat(started).as("Raceguard threads still running after close()").noneMatch(Thread::isAlive);
    }

    private static Set<Thread> running() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(Thread::isAlive)
                .filter(thread -> PREFIXES.stream().anyMatch(thread.getName()::startsWith))
                .collect(Collectors.toSet());
    }
}
