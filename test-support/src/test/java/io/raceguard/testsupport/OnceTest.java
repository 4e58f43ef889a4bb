package io.raceguard.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

final class OnceTest {

    private static final int THREADS = 16;

    @Test
    void shouldComputeOnceWhenManyThreadsAskAtTheSameMoment() throws Exception {
        AtomicInteger computations = new AtomicInteger();
        Once<Object> once = new Once<>(() -> {
            computations.incrementAndGet();
            Thread.yield(); // widen the window in which an unguarded second caller would also compute
            return new Object();
        });
        CountDownLatch gate = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            List<Future<Object>> results = new ArrayList<>();
            for (int i = 0; i < THREADS; i++) {
                results.add(pool.submit(() -> {
                    gate.await();
                    return once.get();
                }));
            }
            gate.countDown();

            Object first = results.get(0).get(10, TimeUnit.SECONDS);
            for (Future<Object> result : results) {
                assertThat(result.get(10, TimeUnit.SECONDS)).isSameAs(first);
            }
            assertThat(computations).hasValue(1);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void shouldTryAgainAfterTheComputationThrows() {
        AtomicInteger attempts = new AtomicInteger();
        Once<String> once = new Once<>(() -> {
            if (attempts.incrementAndGet() == 1) {
                throw new IllegalStateException("first attempt fails");
            }
            return "second attempt";
        });

        assertThatThrownBy(once::get).hasMessage("first attempt fails");
        assertThat(once.get()).isEqualTo("second attempt");
        assertThat(once.get()).isEqualTo("second attempt");
        assertThat(attempts).hasValue(2);
    }
}
