package io.raceguard.testing.contract;

import static org.assertj.core.api.Assertions.assertThat;

import io.raceguard.idempotency.Idempotency;
import io.raceguard.idempotency.IdempotencyCodec;
import io.raceguard.idempotency.IdempotencyKey;
import io.raceguard.idempotency.InMemoryIdempotencyStore;
import io.raceguard.idempotency.spi.IdempotencyRecord;
import io.raceguard.idempotency.spi.IdempotencyStore;
import io.raceguard.lock.Lease;
import io.raceguard.lock.LeaseOptions;
import io.raceguard.lock.LockManager;
import io.raceguard.testing.ManualTicker;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The owner tokens the engines hand their stores, read on the store side: 128 random bits each (32
 * lower-case hex digits), never repeated, with every bit position set in about half of them, which
 * a counter, a clock or a 64-bit generator padded to 128 bits would not show.
 */
final class OwnerTokenShapeTest {

    private static final int TOKENS = 4000;
    /**
     * Five standard deviations of a fair bit count over {@link #TOKENS} tokens: a false alarm about once in 10^4 runs.
     */
    private static final double ALLOWED_BIAS = 5 * Math.sqrt(TOKENS * 0.25);

    @Test
    void shouldHandTheLockStoreA128BitRandomTokenPerLease() {
        ManualTicker ticker = new ManualTicker();
        FaultInjectingLockBackend backend = new FaultInjectingLockBackend(ticker);
        List<String> tokens = new ArrayList<>();
        try (LockManager locks = LockManager.builder(backend).ticker(ticker).build()) {
            for (int i = 0; i < TOKENS; i++) {
                String key = "token-" + i;
                try (Lease lease = locks.tryAcquire(key, LeaseOptions.ttl(Duration.ofSeconds(30))).orElseThrow()) {
                    String seenByTheStore = backend.ownerOf(key);
                    assertThat(lease.ownerToken()).isEqualTo(seenByTheStore);
                    tokens.add(seenByTheStore);
                }
            }
        }

        assertRandom128BitTokens(tokens);
    }

    @Test
    void shouldHandTheIdempotencyStoreA128BitRandomTokenPerClaim() throws Exception {
        List<String> tokens = Collections.synchronizedList(new ArrayList<>());
        IdempotencyStore store = new ForwardingIdempotencyStore(InMemoryIdempotencyStore.create()) {
            @Override
            public Optional<IdempotencyRecord> claim(
                    IdempotencyKey key, byte[] fingerprint, String owner, Duration lease, Duration retention) {
                tokens.add(owner);
                return super.claim(key, fingerprint, owner, lease, retention);
            }
        };
        Idempotency idempotency = Idempotency.builder(store).build();
        byte[] request = "charge".getBytes(StandardCharsets.UTF_8);

        for (int i = 0; i < TOKENS; i++) {
            idempotency.execute(IdempotencyKey.of("user:42:POST /charges", "key-" + i), request,
                    IdempotencyCodec.utf8(), () -> "done");
        }

        assertRandom128BitTokens(tokens);
    }

    private static void assertRandom128BitTokens(List<String> tokens) {
        assertThat(tokens).hasSize(TOKENS).allMatch(token -> token.matches("[0-9a-f]{32}"), "32 lower-case hex digits");
        assertThat(new HashSet<>(tokens)).as("distinct tokens").hasSize(TOKENS);
        int[] setBits = new int[128];
        for (String token : tokens) {
            BigInteger bits = new BigInteger(token, 16);
            for (int bit = 0; bit < 128; bit++) {
                setBits[bit] += bits.testBit(bit) ? 1 : 0;
            }
        }
        for (int bit = 0; bit < 128; bit++) {
            assertThat(Math.abs(setBits[bit] - TOKENS / 2.0))
                    .as("bit %d is set in %d of %d tokens", bit, setBits[bit], TOKENS)
                    .isLessThanOrEqualTo(ALLOWED_BIAS);
        }
    }
}
