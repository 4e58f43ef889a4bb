package io.raceguard.testing.contract;

import static io.raceguard.testing.contract.RandomIdempotencyInputs.randomFingerprint;
import static io.raceguard.testing.contract.RandomIdempotencyInputs.randomKey;
import static io.raceguard.testing.contract.RandomIdempotencyInputs.randomOwner;
import static io.raceguard.testing.contract.RandomIdempotencyInputs.randomScope;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.raceguard.idempotency.ClaimLostException;
import io.raceguard.idempotency.Idempotency;
import io.raceguard.idempotency.IdempotencyCodec;
import io.raceguard.idempotency.IdempotencyKey;
import io.raceguard.idempotency.IdempotentResult.Executed;
import io.raceguard.idempotency.IdempotentResult.InProgress;
import io.raceguard.idempotency.IdempotentResult.KeyReused;
import io.raceguard.idempotency.IdempotentResult.Replayed;
import io.raceguard.idempotency.IdempotentResult;
import io.raceguard.idempotency.IdempotentWork;
import io.raceguard.idempotency.spi.IdempotencyRecord;
import io.raceguard.idempotency.spi.IdempotencyStore;
import io.raceguard.internal.Inputs;
import io.raceguard.testing.Invariant;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestReporter;

/**
 * The conformance kit every {@link IdempotencyStore} passes: extend it, return the store under test
 * from {@link #store()}, and if the store's clock can be moved, override {@link #passTime}.
 *
 * <pre>{@code
 * final class RedisIdempotencyStoreTest extends IdempotencyStoreContract {
 *     @Override
 *     protected IdempotencyStore store() {
 *         return RedisIdempotencyStore.create(client);
 *     }
 * }
 * }</pre>
 *
 * <p>The kit is two layers. The store's own transitions and retention, called directly, come from
 * {@link IdempotencyStoreTransitionsContract}. This class adds the cases that drive the store through
 * {@link Idempotency} end to end: twenty concurrent calls on one key run the work once, a changed
 * payload is refused, scopes are kept apart, a failure frees the key, a dead owner is taken over
 * exactly once, and a result replays within its retention only. Every test works on fresh random
 * scopes and keys, so one store (or one shared server) may serve all tests.
 *
 * <p><b>Bad input</b> is checked property-style too: keys, amounts and durations generated from a fixed
 * seed (empty, blank, 10 KB, control characters, unpaired surrogates, Lua and SQL metacharacters,
 * non-BMP, {@code Long} and {@code Duration} extremes), each either rejected before any effect or
 * round-tripped exactly. A failure names its seed; {@code -Draceguard.inputs.seed=<seed>} replays it
 * or tries another.
 */
public abstract class IdempotencyStoreContract extends IdempotencyStoreTransitionsContract {

    private static final long WAIT_SECONDS = 30;
    private static final int GENERATED_KEYS = 24;
    private static final IdempotencyCodec<String> TEXT = IdempotencyCodec.utf8();
    private static final byte[] CHARGE = bytes("charge 10 EUR");
    private static final byte[] OTHER_CHARGE = bytes("charge 99 EUR");

    private final ContractKeys keys = new ContractKeys();
    private final GeneratedInputs inputs = new GeneratedInputs();

    /** For subclasses. */
    protected IdempotencyStoreContract() {}

    /**
     * Concurrent calls with one key and payload: the work runs once; the others replay it or are told to retry.
     *
     * @param reporter gets the hammer's verdict and per-round table
     */
    @Test
    void shouldRunTheWorkOnceForConcurrentCallersWithOneKey(TestReporter reporter) {
        Idempotency idempotency = idempotency(LONG, LONG);
        AtomicReference<IdempotencyKey> key = new AtomicReference<>();
        AtomicInteger runs = new AtomicInteger();

        hammer(RACE_ROUNDS, reporter)
                .beforeEachRound(() -> {
                    key.set(randomKey());
                    runs.set(0);
                })
                .fire(() -> idempotency.execute(key.get(), CHARGE, TEXT, () -> "receipt " + runs.incrementAndGet()))
                .expect(Invariant.that("the work ran once", round ->
                                assertEquals(1, runs.get(), "the work ran once for " + CONCURRENT_CALLS
                                        + " concurrent calls")),
                        Invariant.exactly(1, "executed", Executed.class::isInstance),
                        Invariant.that("the others replayed it or were told to retry", round ->
                                assertRunOnceWithResult("receipt 1", round.values())),
                        Invariant.that("a later call replays it", round -> assertEquals(new Replayed<>("receipt 1"),
                                idempotency.execute(key.get(), CHARGE, TEXT, failIfRun()))));
    }

    /** While the work runs, another payload under its key is refused and the same payload told to retry. */
    @Test
    void shouldAnswerKeyReusedForAnotherPayloadWhileInProgress() throws Exception {
        Idempotency idempotency = idempotency(LONG, LONG);
        IdempotencyKey key = randomKey();
        List<IdempotentResult<String>> seenWhileRunning = new ArrayList<>();

        IdempotentResult<String> first = idempotency.execute(key, CHARGE, TEXT, () -> {
            seenWhileRunning.add(idempotency.execute(key, OTHER_CHARGE, TEXT, failIfRun()));
            seenWhileRunning.add(idempotency.execute(key, CHARGE, TEXT, failIfRun()));
            return "receipt";
        });

        assertEquals(new Executed<>("receipt"), first);
        assertEquals(new KeyReused<String>(), seenWhileRunning.get(0), "another payload while in progress");
        assertRetryAfterWithin(LONG, seenWhileRunning.get(1));
    }

    /** After completion, another payload under the key is refused; the original one still replays. */
    @Test
    void shouldAnswerKeyReusedForAnotherPayloadAfterCompletion() throws Exception {
        Idempotency idempotency = idempotency(LONG, LONG);
        IdempotencyKey key = randomKey();
        idempotency.execute(key, CHARGE, TEXT, () -> "receipt");

        IdempotentResult<String> reused = idempotency.execute(key, OTHER_CHARGE, TEXT, failIfRun());

        assertEquals(new KeyReused<String>(), reused);
        assertEquals(new Replayed<>("receipt"), idempotency.execute(key, CHARGE, TEXT, failIfRun()));
    }

    /** The fingerprint is checked before a takeover: another payload never takes an expired claim over. */
    @Test
    void shouldAnswerKeyReusedForAnotherPayloadEvenWhenTheLeaseExpired() throws Exception {
        Idempotency idempotency = idempotency(LONG, LONG);
        ClaimedKey dead = claim(SHORT, LONG);
        passTime(SHORT.plus(MARGIN));

        IdempotentResult<String> reused = idempotency.execute(dead.key(), CHARGE, TEXT, failIfRun());

        assertEquals(new KeyReused<String>(), reused, "the fingerprint is checked before any takeover");
        assertInProgress(claimAsStranger(dead.key()), dead);
    }

    /** The same client key in two scopes (two principals) is two keys: neither sees the other's response. */
    @Test
    void shouldRunTheSameKeySeparatelyInEachScope() throws Exception {
        Idempotency idempotency = idempotency(LONG, LONG);
        String clientKey = randomOwner();
        IdempotencyKey alice = IdempotencyKey.of(randomScope() + "alice", clientKey);
        IdempotencyKey bob = IdempotencyKey.of(randomScope() + "bob", clientKey);

        assertEquals(new Executed<>("alice's receipt"),
                idempotency.execute(alice, CHARGE, TEXT, () -> "alice's receipt"));
        assertEquals(new Executed<>("bob's receipt"), idempotency.execute(bob, CHARGE, TEXT, () -> "bob's receipt"),
                "the same key and payload in another scope runs its own work");

        assertEquals(new Replayed<>("alice's receipt"), idempotency.execute(alice, CHARGE, TEXT, failIfRun()));
        assertEquals(new Replayed<>("bob's receipt"), idempotency.execute(bob, CHARGE, TEXT, failIfRun()));
    }

    /** A failing work frees its key and its exception comes out unchanged, so the retry runs. */
    @Test
    void shouldFreeTheKeyWhenTheWorkFailsSoTheRetryRuns() throws Exception {
        Idempotency idempotency = idempotency(LONG, LONG);
        IdempotencyKey key = randomKey();
        IOException failure = new IOException("payment provider unreachable");

        IOException thrown = assertThrows(IOException.class, () -> idempotency.execute(key, CHARGE, TEXT, () -> {
            throw failure;
        }));

        assertSame(failure, thrown, "the work's own exception is rethrown unchanged");
        assertEquals(new Executed<>("receipt"), idempotency.execute(key, CHARGE, TEXT, () -> "receipt"));
    }

    /** A null result is refused before anything is recorded, and the key is freed. */
    @Test
    void shouldFreeTheKeyWhenTheWorkReturnsNull() throws Exception {
        Idempotency idempotency = idempotency(LONG, LONG);
        IdempotencyKey key = randomKey();

        assertThrows(NullPointerException.class, () -> idempotency.execute(key, CHARGE, TEXT, () -> null));

        assertEquals(new Executed<>("receipt"), idempotency.execute(key, CHARGE, TEXT, () -> "receipt"));
    }

    /**
     * An owner stalls past its lease (as a dead process would): of many concurrent retries exactly one
     * takes over and runs the work, and the stalled owner's late result is refused.
     */
    @Test
    void shouldTakeOverFromADeadOwnerExactlyOnceAndRefuseItsLateResult(TestReporter reporter) throws Exception {
        Idempotency stallingProcess = idempotency(SHORT, LONG);
        Idempotency retries = idempotency(LONG, LONG);
        IdempotencyKey key = randomKey();
        CountDownLatch workStarted = new CountDownLatch(1);
        CountDownLatch resume = new CountDownLatch(1);
        ExecutorService stalledThread = Executors.newSingleThreadExecutor();
        try {
            Future<IdempotentResult<String>> stalled = stalledThread.submit(() -> stallingProcess.execute(key, CHARGE,
                    TEXT, () -> {
                workStarted.countDown();
                if (!resume.await(WAIT_SECONDS, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("the stalled owner was never resumed");
                }
                return "stale receipt";
            }));
            assertTrue(workStarted.await(WAIT_SECONDS, TimeUnit.SECONDS), "the first owner started its work");
            passTime(SHORT.plus(MARGIN));

            AtomicInteger runs = new AtomicInteger();
            hammer(1, reporter).withoutShrinking() // the one expired claim is used up by the round
                    .fire(() -> retries.execute(key, CHARGE, TEXT, () -> "receipt " + runs.incrementAndGet()))
                    .expect(Invariant.that("exactly one retry took the expired claim over and ran the work", round ->
                                    assertEquals(1, runs.get(),
                                            "exactly one retry took the expired claim over and ran the work")),
                            Invariant.that("the others replayed it or were told to retry", round ->
                                    assertRunOnceWithResult("receipt 1", round.values())));
            resume.countDown();
            ExecutionException late = assertThrows(ExecutionException.class,
                    () -> stalled.get(WAIT_SECONDS, TimeUnit.SECONDS));
            ClaimLostException lost = assertInstanceOf(ClaimLostException.class, late.getCause(),
                    "the late result is refused");
            assertEquals(key.scope(), lost.scope());
            assertFalse(lost.getMessage().contains(key.key()), "the exception never shows the client's key");
            assertEquals(new Replayed<>("receipt 1"), retries.execute(key, CHARGE, TEXT, failIfRun()));
        } finally {
            resume.countDown();
            stalledThread.shutdownNow();
            assertTrue(stalledThread.awaitTermination(WAIT_SECONDS, TimeUnit.SECONDS));
        }
    }

    /** Within the retention a result replays; after it, the same key runs the work anew. */
    @Test
    void shouldReplayWithinTheRetentionAndRunAgainAfterIt() throws Exception {
        Idempotency idempotency = idempotency(SHORT, SHORT);
        IdempotencyKey key = randomKey();
        idempotency.execute(key, CHARGE, TEXT, () -> "first");
        assertEquals(new Replayed<>("first"), idempotency.execute(key, CHARGE, TEXT, failIfRun()));

        passTime(SHORT.plus(MARGIN));

        assertEquals(new Executed<>("second"), idempotency.execute(key, CHARGE, TEXT, () -> "second"));
    }

    /**
     * Property, over {@value #GENERATED_KEYS} generated strings (see {@link GeneratedInputs}), each
     * used as a scope and as a client key: a string the rules reject is refused by
     * {@link IdempotencyKey#of} with an {@code IllegalArgumentException} naming the scope or the key,
     * so no store ever sees it, and every look-alike a sloppy store could have used instead is free;
     * any other string is a record of its own: claimed, completed, and its response read back exactly.
     */
    @Test
    void shouldRejectOrRoundTripEveryGeneratedKey() {
        String scope = randomScope() + "generated";
        for (GeneratedInputs.GeneratedKey generated : inputs.keys(GENERATED_KEYS, keys)) {
            GeneratedInputs.named(generated.toString(), () -> {
                String text = generated.key();
                if (generated.valid()) {
                    assertRoundTrips(IdempotencyKey.of(scope, text));
                    assertRoundTrips(IdempotencyKey.of(text, "client key"));
                } else {
                    GeneratedInputs.assertNames("scope",
                            assertThrows(IllegalArgumentException.class, () -> IdempotencyKey.of(text, "client key")));
                    GeneratedInputs.assertNames("key",
                            assertThrows(IllegalArgumentException.class, () -> IdempotencyKey.of(scope, text)));
                    GeneratedInputs.shadows(text).forEach(shadow -> assertKeyIsFree(IdempotencyKey.of(scope, shadow)));
                }
            });
        }
    }

    /**
     * Property, over generated durations (zero, negative, sub-millisecond, huge, the shortest and
     * longest accepted; see {@link GeneratedInputs#durations}): a lease or retention outside 1 ms to
     * {@link Inputs#MAX_DURATION} is refused with an {@code IllegalArgumentException} naming it; any
     * other is accepted, and from a second up to the kit's longest lease (five minutes; a longer one
     * would leave a record on a shared store for as long) the store keeps the record for it: the work
     * runs once, then replays.
     */
    @Test
    void shouldRejectOrHonourEveryGeneratedDuration() {
        List<Duration> durations = inputs.durations();
        for (int i = 0; i < durations.size(); i++) {
            Duration duration = durations.get(i);
            GeneratedInputs.named(inputs.caseName(i) + ": " + duration, () -> {
                if (!GeneratedInputs.isValidPositive(duration)) {
                    GeneratedInputs.assertNames("lease", assertThrows(IllegalArgumentException.class,
                            () -> Idempotency.builder(store()).lease(duration)));
                    GeneratedInputs.assertNames("retention", assertThrows(IllegalArgumentException.class,
                            () -> Idempotency.builder(store()).retention(duration)));
                    return;
                }
                Idempotency idempotency = idempotency(duration, duration);
                if (duration.compareTo(Duration.ofSeconds(1)) >= 0 && duration.compareTo(LONG) <= 0) {
                    IdempotencyKey key = randomKey();
                    assertEquals(new Executed<>("receipt"), idempotency.execute(key, CHARGE, TEXT, () -> "receipt"));
                    assertEquals(new Replayed<>("receipt"), idempotency.execute(key, CHARGE, TEXT, failIfRun()));
                }
            });
        }
    }

    /** Null, blank and over-long scopes and keys never reach a store. */
    @Test
    void shouldRejectMalformedKeys() {
        String overLong = "k".repeat(Inputs.MAX_KEY_BYTES + 1);
        assertThrows(NullPointerException.class, () -> IdempotencyKey.of(null, "key"));
        assertThrows(NullPointerException.class, () -> IdempotencyKey.of("scope", null));
        assertThrows(IllegalArgumentException.class, () -> IdempotencyKey.of(" ", "key"));
        assertThrows(IllegalArgumentException.class, () -> IdempotencyKey.of("scope", "\t"));
        assertThrows(IllegalArgumentException.class, () -> IdempotencyKey.of(overLong, "key"));
        assertThrows(IllegalArgumentException.class, () -> IdempotencyKey.of("scope", overLong));
    }

    /** Null arguments are rejected before any effect: the work never runs and the key stays free. */
    @Test
    void shouldRejectNullArgumentsBeforeAnyEffect() throws Exception {
        Idempotency idempotency = idempotency(LONG, LONG);
        IdempotencyKey key = randomKey();
        AtomicInteger runs = new AtomicInteger();
        IdempotentWork<String, RuntimeException> counted = () -> "run " + runs.incrementAndGet();

        assertThrows(NullPointerException.class, () -> idempotency.execute(null, CHARGE, TEXT, counted));
        assertThrows(NullPointerException.class, () -> idempotency.execute(key, null, TEXT, counted));
        assertThrows(NullPointerException.class, () -> idempotency.execute(key, CHARGE, null, counted));
        assertThrows(NullPointerException.class, () -> idempotency.execute(key, CHARGE, TEXT, null));

        assertEquals(0, runs.get(), "rejected calls never run the work");
        assertEquals(new Executed<>("run 1"), idempotency.execute(key, CHARGE, TEXT, counted),
                "rejected calls left the key free");
    }

    // ---------------------------------------------------------------- fixtures and assertions

    private Idempotency idempotency(Duration lease, Duration retention) {
        return Idempotency.builder(store()).lease(lease).retention(retention).build();
    }

    /** Claims, completes with the key's own text as the response, and reads the record back. */
    private void assertRoundTrips(IdempotencyKey key) {
        byte[] fingerprint = randomFingerprint();
        String owner = randomOwner();
        byte[] response = bytes(key.scope() + "\n" + key.key());
        assertEquals(Optional.empty(), store().claim(key, fingerprint, owner, LONG, LONG), "a fresh key is free");
        assertTrue(store().complete(key, owner, response, LONG), "the owner completes its record");
        IdempotencyRecord found = claimAsStranger(key).orElseThrow(() -> new AssertionError("the record is gone"));
        assertEquals(owner, found.owner(), "the record's owner");
        assertArrayEquals(fingerprint, found.fingerprint(), "the record's fingerprint");
        assertCompleted(Optional.of(found), response);
    }

    /** Exactly one call executed {@code value}; every other one replayed it or was told to retry. */
    private static void assertRunOnceWithResult(String value, List<IdempotentResult<String>> results) {
        assertEquals(1, results.stream().filter(Executed.class::isInstance).count(), "exactly one call executed: "
                + results);
        for (IdempotentResult<String> result : results) {
            if (result instanceof InProgress<String>) {
                assertRetryAfterWithin(LONG, result);
            } else {
                assertTrue(result.equals(new Executed<>(value)) || result.equals(new Replayed<>(value)), "unexpected "
                        + result);
            }
        }
    }

    private static void assertRetryAfterWithin(Duration lease, IdempotentResult<String> result) {
        Duration retryAfter = assertInstanceOf(InProgress.class, result, "expected InProgress").retryAfter();
        assertTrue(retryAfter.compareTo(Duration.ofMillis(1)) >= 0 && retryAfter.compareTo(lease) <= 0,
                "retry after 1 ms to the lease, was " + retryAfter);
    }

    private static IdempotentWork<String, RuntimeException> failIfRun() {
        return () -> fail("the work ran although the call should have been answered without it");
    }
}
