package io.raceguard.lock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.raceguard.lock.spi.LockBackend;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/**
 * The uncontended path allocates only a few small objects beyond what the backend does: the owner
 * token, the lease, and (for {@code tryAcquire}) its {@code Optional}. Measured in bytes allocated
 * by this thread, which does not depend on timing.
 */
final class HotPathAllocationTest {

    private static final int WARM_UP = 20_000;
    private static final int MEASURED = 20_000;
    /** Token bytes and hex string, lease, Optional: about 250 bytes on JDK 17; the bound leaves room for other JVMs. */
    private static final long BYTES_PER_PAIR_BOUND = 1_024;

    /** A store that allocates nothing, so that everything measured is the engine's. */
    private static final class FreeStore implements LockBackend {
        private static final OptionalLong TOKEN = OptionalLong.of(1);

        @Override
        public OptionalLong tryAcquire(String key, String owner, Duration ttl) {
            return TOKEN;
        }

        @Override
        public boolean extend(String key, String owner, Duration ttl) {
            return true;
        }

        @Override
        public boolean release(String key, String owner) {
            return true;
        }
    }

    @Test
    void shouldAllocateOnlyAFewSmallObjectsPerAcquireAndRelease() throws InterruptedException {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        assumeTrue(threads instanceof com.sun.management.ThreadMXBean, "this JVM cannot count allocated bytes");
        com.sun.management.ThreadMXBean counting = (com.sun.management.ThreadMXBean) threads;
        assumeTrue(counting.isThreadAllocatedMemoryEnabled(), "allocation counting is switched off");
        long threadId = Thread.currentThread().getId();
        LeaseOptions options = LeaseOptions.ttl(Duration.ofSeconds(10));

        try (LockManager locks = LockManager.builder(new FreeStore()).build()) {
            for (int i = 0; i < WARM_UP; i++) {
                locks.acquire("k", options).release();
                locks.tryAcquire("k", options).orElseThrow().release();
            }
            long before = counting.getThreadAllocatedBytes(threadId);
            for (int i = 0; i < MEASURED; i++) {
                locks.acquire("k", options).release();
                locks.tryAcquire("k", options).orElseThrow().release();
            }
            long perPair = (counting.getThreadAllocatedBytes(threadId) - before) / (2L * MEASURED);

            assertThat(perPair).as("bytes allocated per acquire and release").isLessThan(BYTES_PER_PAIR_BOUND);
        }
    }
}
