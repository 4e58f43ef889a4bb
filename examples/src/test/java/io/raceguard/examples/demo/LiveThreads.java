package io.raceguard.examples.demo;

import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/** The threads alive in this JVM at one moment, to name those started since another. */
final class LiveThreads {

    private final Set<Thread> threads;

    private LiveThreads(Set<Thread> threads) {
        this.threads = threads;
    }

    static LiveThreads now() {
        return new LiveThreads(Collections.unmodifiableSet(Thread.getAllStackTraces().keySet()));
    }

    /**
     * @param earlier a snapshot taken before
     * @param ignored names of threads that are not under test
     * @return the sorted names of the threads alive in this snapshot but not in {@code earlier}
     */
    List<String> startedSince(LiveThreads earlier, Predicate<String> ignored) {
        return threads.stream()
                .filter(thread -> thread.isAlive() && !earlier.threads.contains(thread))
                .map(Thread::getName)
                .filter(ignored.negate())
                .sorted()
                .toList();
    }
}
