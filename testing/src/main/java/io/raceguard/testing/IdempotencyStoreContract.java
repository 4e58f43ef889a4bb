package io.raceguard.testing;

import static io.raceguard.testing.RandomIdempotencyInputs.randomFingerprint;
import static io.raceguard.testing.RandomIdempotencyInputs.randomKey;
import static io.raceguard.testing.RandomIdempotencyInputs.randomOwner;
import static io.raceguard.testing.RandomIdempotencyInputs.randomScope;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.raceguard.Inputs;
import io.raceguard.idempotency.ClaimLostException;
import io.raceguard.idempotency.Idempotency;
import io.raceguard.idempotency.IdempotencyCodec;
import io.raceguard.idempotency.IdempotencyKey;
import io.raceguard.idempotency.IdempotencyRecord;
import io.raceguard.idempotency.IdempotencyRecord.Status;
import io.raceguard.idempotency.IdempotencyStore;
import io.raceguard.idempotency.IdempotentResult;
import io.raceguard.idempotency.IdempotentWork;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
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
import org.junit.jupiter.api.Test;

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
 * <p>It pins the semantics documented on {@link IdempotencyStore}: each transition on its own, owner
 * fencing (a non-owner's complete or release is refused and changes nothing), takeover only of an
 * expired lease and only from the expected owner, retention, exact keys and bytes, and the races
 * (concurrent claims, concurrent takers, a late owner against takers). Then it drives the store
 * through {@link Idempotency} end to end: twenty concurrent calls on one key run the work once, a
 * changed payload is refused, scopes are kept apart, a failure frees the key, and a dead owner is
 * taken over exactly once.
 *
 * <p>Every test works on fresh random scopes and keys, so one store (or one shared server) may serve
 * all tests, and tests may run in parallel. Time-based tests use leases of a few hundred
 * milliseconds and wait a margin past them, so a store on a real clock passes in a few seconds.
 */
public abstract class IdempotencyStoreContract {

    /** A lease that certainly outlives a test. */
    private static final Duration LONG = Duration.ofMinutes(5);
    /** A lease or retention a test waits out. */
    private static final Duration SHORT = Duration.ofMillis(200);
    /** How far past a deadline a test waits, for clock resolution and scheduling. */
    private static final Duration MARGIN = Duration.ofMillis(100);
    private static final int CONCURRENT_CALLS = 20;
    private static final long WAIT_SECONDS = 30;
    private static final IdempotencyCodec<String> TEXT = IdempotencyCodec.utf8();

    /**
     * @return the store under test; it may be the same instance for every test
     */
    protected abstract IdempotencyStore store();

    /**
     * Lets {@code duration} pass on the store's clock. The default sleeps, for stores on a real
     * clock; a store on a manual ticker advances it instead.
     *
     * @param duration how much time must pass
     * @throws InterruptedException if interrupted while sleeping
     */
    protected void passTime(Duration duration) throws InterruptedException {
        Thread.sleep(duration.toMillis(), duration.toNanosPart() % 1_000_000);
    }

    // ---------------------------------------------------------------- claim

    @Test
    void shouldClaimAFreeKeyAndReturnTheRecordToLaterClaims() {
        IdempotencyKey key = randomKey();
        byte[] fingerprint = randomFingerprint();
        String owner = randomOwner();

        assertEquals(Optional.empty(), store().claim(key, fingerprint, owner, LONG, LONG), "the first claim wins");

        Optional<IdempotencyRecord> found = store().claim(key, randomFingerprint(), randomOwner(), LONG, LONG);
        assertInProgress(found, owner, fingerprint);
        Duration remaining = found.orElseThrow().leaseRemaining();
        assertTrue(remaining.compareTo(Duration.ZERO) > 0 && remaining.compareTo(LONG) <= 0,
                "a live lease has 0 < remaining <= lease, was " + remaining);
    }

    @Test
    void shouldLeaveTheRecordUnchangedWhenAClaimFindsIt() {
        IdempotencyKey key = randomKey();
        byte[] fingerprint = randomFingerprint();
        String owner = randomOwner();
        store().claim(key, fingerprint, owner, LONG, LONG);

        store().claim(key, randomFingerprint(), randomOwner(), LONG, LONG);
        Optional<IdempotencyRecord> sameOwnerAgain = store().claim(key, fingerprint, owner, LONG, LONG);

        assertInProgress(sameOwnerAgain, owner, fingerprint);
        assertInProgress(store().claim(key, randomFingerprint(), randomOwner(), LONG, LONG), owner, fingerprint);
    }

    @Test
    void shouldLetExactlyOneOfManyConcurrentClaimsWin() throws InterruptedException {
        IdempotencyKey key = randomKey();
        byte[] fingerprint = randomFingerprint();

        List<String> owners = new ArrayList<>();
        List<Optional<IdempotencyRecord>> claims = StartingGate.runTogether(CONCURRENT_CALLS, () -> {
            String owner = randomOwner();
            Optional<IdempotencyRecord> claim = store().claim(key, fingerprint, owner, LONG, LONG);
            if (claim.isEmpty()) {
                synchronized (owners) {
                    owners.add(owner);
                }
            }
            return claim;
        });

        assertEquals(1, owners.size(), "exactly one of " + CONCURRENT_CALLS + " concurrent claims wins");
        for (Optional<IdempotencyRecord> claim : claims) {
            claim.ifPresent(found -> assertInProgress(Optional.of(found), owners.get(0), fingerprint));
        }
    }

    @Test
    void shouldKeepKeysApartThatDifferOnlyInCaseSpacesNormalizationOrSeparators() {
        String prefix = randomScope();
        List<IdempotencyKey> keys = List.of(
                IdempotencyKey.of(prefix + "a:b", "c"),
                IdempotencyKey.of(prefix + "a", "b:c"),
                IdempotencyKey.of(prefix + "a", "Key"),
                IdempotencyKey.of(prefix + "a", "key"),
                IdempotencyKey.of(prefix + "a", "key "),
                IdempotencyKey.of(prefix + "A", "key"),
                IdempotencyKey.of(prefix + "a", "key\n"),
                IdempotencyKey.of(prefix + "a", "caf\u00e9"),
                IdempotencyKey.of(prefix + "a", "cafe\u0301"),
                IdempotencyKey.of(prefix + "a", "'; DROP TABLE x; --"),
                IdempotencyKey.of(prefix + "a", "{tag}*?[x]"));
        List<String> owners = new ArrayList<>();
        for (IdempotencyKey key : keys) {
            String owner = randomOwner();
            owners.add(owner);
            assertEquals(Optional.empty(), store().claim(key, randomFingerprint(), owner, LONG, LONG),
                    "a key distinct from every other in the list is free: " + describe(key));
        }
        for (int i = 0; i < keys.size(); i++) {
            Optional<IdempotencyRecord> found = store().claim(keys.get(i), randomFingerprint(), randomOwner(), LONG, LONG);
            assertEquals(owners.get(i), found.orElseThrow().owner(), "each key keeps its own record: " + describe(keys.get(i)));
        }
    }

    @Test
    void shouldStoreKeysOfTheMaximumLengthWithoutTruncating() {
        String prefix = randomScope();
        // 'é' is two bytes in UTF-8: fill up to exactly the limit, so only the last character differs.
        String filler = "\u00e9".repeat((Inputs.MAX_KEY_BYTES - prefix.length() - 1) / 2);
        String longest = prefix + filler + "x".repeat(Inputs.MAX_KEY_BYTES - prefix.length() - 2 * filler.length());
        String sibling = longest.substring(0, longest.length() - 1) + "y";
        IdempotencyKey first = IdempotencyKey.of(longest, longest);
        IdempotencyKey second = IdempotencyKey.of(longest, sibling);
        String firstOwner = randomOwner();
        String secondOwner = randomOwner();

        assertEquals(Optional.empty(), store().claim(first, randomFingerprint(), firstOwner, LONG, LONG));
        assertEquals(Optional.empty(), store().claim(second, randomFingerprint(), secondOwner, LONG, LONG),
                "keys that differ only in their last character are different keys");
        assertTrue(store().complete(first, firstOwner, bytes("first"), LONG));

        assertCompleted(store().claim(first, randomFingerprint(), randomOwner(), LONG, LONG), bytes("first"));
        assertEquals(secondOwner, store().claim(second, randomFingerprint(), randomOwner(), LONG, LONG).orElseThrow().owner());
    }

    @Test
    void shouldReturnFingerprintAndResponseByteForByte() {
        IdempotencyKey key = randomKey();
        byte[] fingerprint = new byte[32];
        for (int i = 0; i < fingerprint.length; i++) {
            fingerprint[i] = (byte) (i * 37 + 128);
        }
        fingerprint[0] = 0;
        byte[] response = new byte[1 << 20];
        for (int i = 0; i < response.length; i++) {
            response[i] = (byte) (i * 31 + i / 256);
        }
        String owner = randomOwner();
        store().claim(key, fingerprint, owner, LONG, LONG);

        assertTrue(store().complete(key, owner, response, LONG));

        IdempotencyRecord found = store().claim(key, randomFingerprint(), randomOwner(), LONG, LONG).orElseThrow();
        assertArrayEquals(fingerprint, found.fingerprint(), "the fingerprint comes back byte for byte");
        assertArrayEquals(response, found.response(), "a 1 MiB response with every byte value comes back byte for byte");
    }

    @Test
    void shouldKeepAnEmptyResponseEmpty() {
        IdempotencyKey key = randomKey();
        String owner = randomOwner();
        store().claim(key, randomFingerprint(), owner, LONG, LONG);

        assertTrue(store().complete(key, owner, new byte[0], LONG));

        assertCompleted(store().claim(key, randomFingerprint(), randomOwner(), LONG, LONG), new byte[0]);
    }

    // ---------------------------------------------------------------- complete

    @Test
    void shouldCompleteForTheOwnerKeepingOwnerAndFingerprint() {
        IdempotencyKey key = randomKey();
        byte[] fingerprint = randomFingerprint();
        String owner = randomOwner();
        store().claim(key, fingerprint, owner, LONG, LONG);

        assertTrue(store().complete(key, owner, bytes("done"), LONG), "the owner completes its record");

        IdempotencyRecord found = store().claim(key, randomFingerprint(), randomOwner(), LONG, LONG).orElseThrow();
        assertEquals(Status.COMPLETED, found.status());
        assertEquals(owner, found.owner());
        assertArrayEquals(fingerprint, found.fingerprint());
        assertArrayEquals(bytes("done"), found.response());
        assertEquals(Duration.ZERO, found.leaseRemaining(), "a completed record has no lease");
    }

    @Test
    void shouldRefuseCompleteByAnotherOwnerAndChangeNothing() {
        IdempotencyKey key = randomKey();
        byte[] fingerprint = randomFingerprint();
        String owner = randomOwner();
        store().claim(key, fingerprint, owner, LONG, LONG);

        assertFalse(store().complete(key, randomOwner(), bytes("intruder"), LONG), "a non-owner cannot complete");

        assertInProgress(store().claim(key, randomFingerprint(), randomOwner(), LONG, LONG), owner, fingerprint);
        assertTrue(store().complete(key, owner, bytes("owner"), LONG), "the owner still can");
    }

    @Test
    void shouldRefuseCompleteOfAMissingRecordAndCreateNothing() {
        IdempotencyKey key = randomKey();
        String owner = randomOwner();

        assertFalse(store().complete(key, owner, bytes("nothing claimed"), LONG));

        assertEquals(Optional.empty(), store().claim(key, randomFingerprint(), randomOwner(), LONG, LONG),
                "a refused complete created no record");
    }

    @Test
    void shouldCompleteOnlyOnce() {
        IdempotencyKey key = randomKey();
        String owner = randomOwner();
        store().claim(key, randomFingerprint(), owner, LONG, LONG);
        assertTrue(store().complete(key, owner, bytes("first"), LONG));

        assertFalse(store().complete(key, owner, bytes("second"), LONG), "a completed record is not completed again");

        assertCompleted(store().claim(key, randomFingerprint(), randomOwner(), LONG, LONG), bytes("first"));
    }

    @Test
    void shouldCompleteAfterTheLeaseExpiredWhenNobodyTookOver() throws InterruptedException {
        IdempotencyKey key = randomKey();
        String owner = randomOwner();
        store().claim(key, randomFingerprint(), owner, SHORT, LONG);
        passTime(SHORT.plus(MARGIN));

        assertTrue(store().complete(key, owner, bytes("late but unchallenged"), LONG));

        assertCompleted(store().claim(key, randomFingerprint(), randomOwner(), LONG, LONG), bytes("late but unchallenged"));
    }

    // ---------------------------------------------------------------- release

    @Test
    void shouldReleaseForTheOwnerSoTheKeyCanBeClaimedAgain() {
        IdempotencyKey key = randomKey();
        String owner = randomOwner();
        store().claim(key, randomFingerprint(), owner, LONG, LONG);

        assertTrue(store().release(key, owner));

        assertFalse(store().release(key, owner), "a released record is gone");
        assertEquals(Optional.empty(), store().claim(key, randomFingerprint(), randomOwner(), LONG, LONG),
                "a released key is free");
    }

    @Test
    void shouldReleaseAfterTheLeaseExpiredWhenNobodyTookOver() throws InterruptedException {
        IdempotencyKey key = randomKey();
        String owner = randomOwner();
        store().claim(key, randomFingerprint(), owner, SHORT, LONG);
        passTime(SHORT.plus(MARGIN));

        assertTrue(store().release(key, owner));

        assertEquals(Optional.empty(), store().claim(key, randomFingerprint(), randomOwner(), LONG, LONG));
    }

    @Test
    void shouldRefuseReleaseByAnotherOwnerAndChangeNothing() {
        IdempotencyKey key = randomKey();
        byte[] fingerprint = randomFingerprint();
        String owner = randomOwner();
        store().claim(key, fingerprint, owner, LONG, LONG);

        assertFalse(store().release(key, randomOwner()), "a non-owner cannot release");

        assertInProgress(store().claim(key, randomFingerprint(), randomOwner(), LONG, LONG), owner, fingerprint);
    }

    @Test
    void shouldNeverReleaseACompletedRecord() {
        IdempotencyKey key = randomKey();
        String owner = randomOwner();
        store().claim(key, randomFingerprint(), owner, LONG, LONG);
        store().complete(key, owner, bytes("kept"), LONG);

        assertFalse(store().release(key, owner), "not even its owner releases a completed record");

        assertCompleted(store().claim(key, randomFingerprint(), randomOwner(), LONG, LONG), bytes("kept"));
    }

    @Test
    void shouldRefuseReleaseOfAMissingRecord() {
        assertFalse(store().release(randomKey(), randomOwner()));
    }

    // ---------------------------------------------------------------- takeOver

    @Test
    void shouldRefuseTakeOverWhileTheLeaseIsLive() {
        IdempotencyKey key = randomKey();
        byte[] fingerprint = randomFingerprint();
        String owner = randomOwner();
        store().claim(key, fingerprint, owner, LONG, LONG);

        assertFalse(store().takeOver(key, owner, randomOwner(), LONG), "a live lease is not taken over");

        assertInProgress(store().claim(key, randomFingerprint(), randomOwner(), LONG, LONG), owner, fingerprint);
    }

    @Test
    void shouldTakeOverAnExpiredLeaseFromTheExpectedOwnerAndFenceTheOldOwnerOut() throws InterruptedException {
        IdempotencyKey key = randomKey();
        byte[] fingerprint = randomFingerprint();
        String deadOwner = randomOwner();
        String newOwner = randomOwner();
        store().claim(key, fingerprint, deadOwner, SHORT, LONG);
        passTime(SHORT.plus(MARGIN));
        Optional<IdempotencyRecord> expired = store().claim(key, randomFingerprint(), randomOwner(), LONG, LONG);
        assertEquals(Duration.ZERO, expired.orElseThrow().leaseRemaining(), "an expired lease has nothing remaining");

        assertTrue(store().takeOver(key, deadOwner, newOwner, LONG));

        Optional<IdempotencyRecord> found = store().claim(key, randomFingerprint(), randomOwner(), LONG, LONG);
        assertInProgress(found, newOwner, fingerprint);
        assertTrue(found.orElseThrow().leaseRemaining().compareTo(SHORT) > 0, "the new owner holds a fresh lease");
        assertFalse(store().complete(key, deadOwner, bytes("stale"), LONG), "the old owner can no longer complete");
        assertFalse(store().release(key, deadOwner), "the old owner can no longer release");
        assertTrue(store().complete(key, newOwner, bytes("fresh"), LONG));
        assertCompleted(store().claim(key, randomFingerprint(), randomOwner(), LONG, LONG), bytes("fresh"));
    }

    @Test
    void shouldRefuseTakeOverFromAnOwnerOtherThanTheExpectedOne() throws InterruptedException {
        IdempotencyKey key = randomKey();
        byte[] fingerprint = randomFingerprint();
        String owner = randomOwner();
        store().claim(key, fingerprint, owner, SHORT, LONG);
        passTime(SHORT.plus(MARGIN));

        assertFalse(store().takeOver(key, randomOwner(), randomOwner(), LONG), "takeover compares the owner");

        assertInProgress(store().claim(key, randomFingerprint(), randomOwner(), LONG, LONG), owner, fingerprint);
    }

    @Test
    void shouldRefuseTakeOverOfACompletedRecord() throws InterruptedException {
        IdempotencyKey key = randomKey();
        String owner = randomOwner();
        store().claim(key, randomFingerprint(), owner, SHORT, LONG);
        store().complete(key, owner, bytes("done"), LONG);
        passTime(SHORT.plus(MARGIN));

        assertFalse(store().takeOver(key, owner, randomOwner(), LONG));

        assertCompleted(store().claim(key, randomFingerprint(), randomOwner(), LONG, LONG), bytes("done"));
    }

    @Test
    void shouldRefuseTakeOverOfAMissingRecordAndCreateNothing() {
        IdempotencyKey key = randomKey();

        assertFalse(store().takeOver(key, randomOwner(), randomOwner(), LONG));

        assertEquals(Optional.empty(), store().claim(key, randomFingerprint(), randomOwner(), LONG, LONG));
    }

    @Test
    void shouldProtectATakenOverRecordWithItsFreshLease() throws InterruptedException {
        IdempotencyKey key = randomKey();
        String deadOwner = randomOwner();
        String newOwner = randomOwner();
        store().claim(key, randomFingerprint(), deadOwner, SHORT, LONG);
        passTime(SHORT.plus(MARGIN));
        assertTrue(store().takeOver(key, deadOwner, newOwner, LONG));

        assertFalse(store().takeOver(key, newOwner, randomOwner(), LONG), "the fresh lease is live");
        assertFalse(store().takeOver(key, deadOwner, randomOwner(), LONG), "the old owner is no longer expected");
    }

    @Test
    void shouldGiveAnExpiredLeaseToExactlyOneOfManyConcurrentTakers() throws InterruptedException {
        IdempotencyKey key = randomKey();
        byte[] fingerprint = randomFingerprint();
        String deadOwner = randomOwner();
        store().claim(key, fingerprint, deadOwner, SHORT, LONG);
        passTime(SHORT.plus(MARGIN));

        List<String> winners = new ArrayList<>();
        StartingGate.runTogether(CONCURRENT_CALLS, () -> {
            String taker = randomOwner();
            if (store().takeOver(key, deadOwner, taker, LONG)) {
                synchronized (winners) {
                    winners.add(taker);
                }
            }
            return null;
        });

        assertEquals(1, winners.size(), "exactly one of " + CONCURRENT_CALLS + " concurrent takers wins");
        assertInProgress(store().claim(key, randomFingerprint(), randomOwner(), LONG, LONG), winners.get(0), fingerprint);
        assertFalse(store().complete(key, deadOwner, bytes("late"), LONG), "the dead owner's late complete is refused");
    }

    @Test
    void shouldLetEitherTheLateOwnerOrOneTakerWinButNeverBoth() throws InterruptedException {
        IdempotencyKey key = randomKey();
        String lateOwner = randomOwner();
        store().claim(key, randomFingerprint(), lateOwner, SHORT, LONG);
        passTime(SHORT.plus(MARGIN));

        AtomicInteger callers = new AtomicInteger();
        List<String> winners = StartingGate.runTogether(CONCURRENT_CALLS, () -> {
            if (callers.getAndIncrement() == 0) {
                return store().complete(key, lateOwner, bytes("late"), LONG) ? lateOwner : null;
            }
            String taker = randomOwner();
            return store().takeOver(key, lateOwner, taker, LONG) ? taker : null;
        });

        List<String> won = winners.stream().filter(winner -> winner != null).toList();
        assertEquals(1, won.size(), "the late complete and the takeovers are one atomic choice: " + won.size() + " won");
        IdempotencyRecord found = store().claim(key, randomFingerprint(), randomOwner(), LONG, LONG).orElseThrow();
        assertEquals(won.get(0), found.owner());
        assertEquals(won.get(0).equals(lateOwner) ? Status.COMPLETED : Status.IN_PROGRESS, found.status());
    }

    // ---------------------------------------------------------------- retention

    @Test
    void shouldForgetAnInProgressRecordAfterItsRetention() throws InterruptedException {
        IdempotencyKey key = randomKey();
        String owner = randomOwner();
        store().claim(key, randomFingerprint(), owner, SHORT, SHORT);
        passTime(SHORT.plus(MARGIN));

        assertFalse(store().complete(key, owner, bytes("too late"), LONG), "a record past its retention is gone");
        assertFalse(store().takeOver(key, owner, randomOwner(), LONG), "a record past its retention is gone");
        assertFalse(store().release(key, owner), "a record past its retention is gone");
        String next = randomOwner();
        assertEquals(Optional.empty(), store().claim(key, randomFingerprint(), next, LONG, LONG), "the key is free again");
        assertEquals(next, store().claim(key, randomFingerprint(), randomOwner(), LONG, LONG).orElseThrow().owner());
    }

    @Test
    void shouldForgetACompletedRecordAfterTheRetentionGivenToComplete() throws InterruptedException {
        IdempotencyKey key = randomKey();
        String owner = randomOwner();
        store().claim(key, randomFingerprint(), owner, SHORT, LONG);
        store().complete(key, owner, bytes("short-lived"), SHORT);
        passTime(SHORT.plus(MARGIN));

        assertEquals(Optional.empty(), store().claim(key, randomFingerprint(), randomOwner(), LONG, LONG));
    }

    @Test
    void shouldCountACompletedRecordsRetentionFromItsCompletion() throws InterruptedException {
        IdempotencyKey key = randomKey();
        String owner = randomOwner();
        Duration claimRetention = SHORT.multipliedBy(3);
        store().claim(key, randomFingerprint(), owner, SHORT, claimRetention);
        passTime(SHORT.plus(MARGIN));
        assertTrue(store().complete(key, owner, bytes("kept"), LONG));

        passTime(SHORT.multipliedBy(2));

        assertCompleted(store().claim(key, randomFingerprint(), randomOwner(), LONG, LONG), bytes("kept"));
    }

    @Test
    void shouldKeepATakenOverRecordAtLeastUntilItsFreshLeaseEnds() throws InterruptedException {
        IdempotencyKey key = randomKey();
        byte[] fingerprint = randomFingerprint();
        String deadOwner = randomOwner();
        String newOwner = randomOwner();
        Duration claimRetention = SHORT.multipliedBy(3);
        store().claim(key, fingerprint, deadOwner, SHORT, claimRetention);
        passTime(SHORT.plus(MARGIN));
        assertTrue(store().takeOver(key, deadOwner, newOwner, LONG));

        passTime(SHORT.multipliedBy(2));

        assertInProgress(store().claim(key, randomFingerprint(), randomOwner(), LONG, LONG), newOwner, fingerprint);
    }

    // ---------------------------------------------------------------- through Idempotency

    @Test
    void shouldRunTheWorkOnceForConcurrentCallersWithOneKey() throws InterruptedException {
        Idempotency idempotency = Idempotency.builder(store()).lease(LONG).retention(LONG).build();
        IdempotencyKey key = randomKey();
        AtomicInteger runs = new AtomicInteger();

        List<IdempotentResult<String>> results = StartingGate.runTogether(CONCURRENT_CALLS,
                () -> idempotency.execute(key, bytes("charge 10 EUR"), TEXT, () -> "receipt " + runs.incrementAndGet()));

        assertEquals(1, runs.get(), "the work ran exactly once for " + CONCURRENT_CALLS + " concurrent calls");
        long executed = results.stream().filter(IdempotentResult.Executed.class::isInstance).count();
        assertEquals(1, executed, "exactly one call executed: " + results);
        for (IdempotentResult<String> result : results) {
            if (result instanceof IdempotentResult.Replayed<String> replayed) {
                assertEquals("receipt 1", replayed.value());
            } else if (result instanceof IdempotentResult.InProgress<String> inProgress) {
                assertRetryAfterWithin(inProgress, LONG);
            } else {
                assertInstanceOf(IdempotentResult.Executed.class, result);
            }
        }
        assertEquals(new IdempotentResult.Replayed<>("receipt 1"), idempotency.execute(key, bytes("charge 10 EUR"), TEXT, () -> "again"));
    }

    @Test
    void shouldAnswerKeyReusedForAnotherPayloadWhileInProgress() throws Exception {
        Idempotency idempotency = Idempotency.builder(store()).lease(LONG).retention(LONG).build();
        IdempotencyKey key = randomKey();
        List<IdempotentResult<String>> seenWhileRunning = new ArrayList<>();

        IdempotentResult<String> first = idempotency.execute(key, bytes("charge 10 EUR"), TEXT, () -> {
            seenWhileRunning.add(idempotency.execute(key, bytes("charge 99 EUR"), TEXT, failIfRun()));
            seenWhileRunning.add(idempotency.execute(key, bytes("charge 10 EUR"), TEXT, failIfRun()));
            return "receipt";
        });

        assertEquals(new IdempotentResult.Executed<>("receipt"), first);
        assertEquals(new IdempotentResult.KeyReused<String>(), seenWhileRunning.get(0), "another payload while in progress");
        assertRetryAfterWithin(assertInstanceOf(IdempotentResult.InProgress.class, seenWhileRunning.get(1)), LONG);
    }

    @Test
    void shouldAnswerKeyReusedForAnotherPayloadAfterCompletion() throws Exception {
        Idempotency idempotency = Idempotency.builder(store()).lease(LONG).retention(LONG).build();
        IdempotencyKey key = randomKey();
        idempotency.execute(key, bytes("charge 10 EUR"), TEXT, () -> "receipt");

        IdempotentResult<String> reused = idempotency.execute(key, bytes("charge 99 EUR"), TEXT, failIfRun());

        assertEquals(new IdempotentResult.KeyReused<String>(), reused);
        assertEquals(new IdempotentResult.Replayed<>("receipt"), idempotency.execute(key, bytes("charge 10 EUR"), TEXT, failIfRun()));
    }

    @Test
    void shouldAnswerKeyReusedForAnotherPayloadEvenWhenTheLeaseExpired() throws Exception {
        Idempotency idempotency = Idempotency.builder(store()).lease(LONG).retention(LONG).build();
        IdempotencyKey key = randomKey();
        String deadOwner = randomOwner();
        store().claim(key, randomFingerprint(), deadOwner, SHORT, LONG);
        passTime(SHORT.plus(MARGIN));

        IdempotentResult<String> reused = idempotency.execute(key, bytes("another request"), TEXT, failIfRun());

        assertEquals(new IdempotentResult.KeyReused<String>(), reused, "the fingerprint is checked before any takeover");
        assertEquals(deadOwner, store().claim(key, randomFingerprint(), randomOwner(), LONG, LONG).orElseThrow().owner(),
                "a mismatched request never takes the record over");
    }

    @Test
    void shouldRunTheSameKeySeparatelyInEachScope() throws Exception {
        Idempotency idempotency = Idempotency.builder(store()).lease(LONG).retention(LONG).build();
        String clientKey = randomOwner();
        IdempotencyKey alice = IdempotencyKey.of(randomScope() + "alice", clientKey);
        IdempotencyKey bob = IdempotencyKey.of(randomScope() + "bob", clientKey);

        assertEquals(new IdempotentResult.Executed<>("alice's receipt"),
                idempotency.execute(alice, bytes("charge 10 EUR"), TEXT, () -> "alice's receipt"));
        assertEquals(new IdempotentResult.Executed<>("bob's receipt"),
                idempotency.execute(bob, bytes("charge 10 EUR"), TEXT, () -> "bob's receipt"),
                "the same key and payload in another scope runs its own work");

        assertEquals(new IdempotentResult.Replayed<>("alice's receipt"), idempotency.execute(alice, bytes("charge 10 EUR"), TEXT, failIfRun()));
        assertEquals(new IdempotentResult.Replayed<>("bob's receipt"), idempotency.execute(bob, bytes("charge 10 EUR"), TEXT, failIfRun()));
    }

    @Test
    void shouldFreeTheKeyWhenTheWorkFailsSoTheRetryRuns() throws Exception {
        Idempotency idempotency = Idempotency.builder(store()).lease(LONG).retention(LONG).build();
        IdempotencyKey key = randomKey();
        IOException failure = new IOException("payment provider unreachable");

        IOException thrown = assertThrows(IOException.class,
                () -> idempotency.execute(key, bytes("charge"), TEXT, () -> {
                    throw failure;
                }));

        assertTrue(thrown == failure, "the work's own exception is rethrown unchanged");
        assertEquals(new IdempotentResult.Executed<>("receipt"), idempotency.execute(key, bytes("charge"), TEXT, () -> "receipt"));
    }

    @Test
    void shouldFreeTheKeyWhenTheWorkReturnsNull() throws Exception {
        Idempotency idempotency = Idempotency.builder(store()).lease(LONG).retention(LONG).build();
        IdempotencyKey key = randomKey();

        assertThrows(NullPointerException.class, () -> idempotency.execute(key, bytes("charge"), TEXT, () -> null));

        assertEquals(new IdempotentResult.Executed<>("receipt"), idempotency.execute(key, bytes("charge"), TEXT, () -> "receipt"));
    }

    @Test
    void shouldTakeOverFromADeadOwnerExactlyOnceAndRefuseItsLateResult() throws Exception {
        Idempotency dyingProcess = Idempotency.builder(store()).lease(SHORT).retention(LONG).build();
        Idempotency survivors = Idempotency.builder(store()).lease(LONG).retention(LONG).build();
        IdempotencyKey key = randomKey();
        CountDownLatch workStarted = new CountDownLatch(1);
        CountDownLatch resume = new CountDownLatch(1);
        ExecutorService zombie = Executors.newSingleThreadExecutor();
        try {
            Future<IdempotentResult<String>> stalled = zombie.submit(() -> dyingProcess.execute(key, bytes("charge"), TEXT, () -> {
                workStarted.countDown();
                if (!resume.await(WAIT_SECONDS, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("the stalled owner was never resumed");
                }
                return "stale receipt";
            }));
            assertTrue(workStarted.await(WAIT_SECONDS, TimeUnit.SECONDS), "the first owner started its work");
            passTime(SHORT.plus(MARGIN));

            AtomicInteger runs = new AtomicInteger();
            List<IdempotentResult<String>> results = StartingGate.runTogether(CONCURRENT_CALLS,
                    () -> survivors.execute(key, bytes("charge"), TEXT, () -> "receipt " + runs.incrementAndGet()));

            assertEquals(1, runs.get(), "exactly one caller took the expired claim over and ran the work");
            assertEquals(1, results.stream().filter(IdempotentResult.Executed.class::isInstance).count(), results.toString());
            for (IdempotentResult<String> result : results) {
                assertTrue(result.equals(new IdempotentResult.Executed<>("receipt 1"))
                        || result.equals(new IdempotentResult.Replayed<>("receipt 1"))
                        || result instanceof IdempotentResult.InProgress, "unexpected " + result);
            }
            resume.countDown();
            ExecutionException late = assertThrows(ExecutionException.class, () -> stalled.get(WAIT_SECONDS, TimeUnit.SECONDS));
            ClaimLostException lost = assertInstanceOf(ClaimLostException.class, late.getCause(), "the dead owner's late result is refused");
            assertEquals(key.scope(), lost.scope());
            assertFalse(lost.getMessage().contains(key.key()), "the exception never shows the client's key");
            assertEquals(new IdempotentResult.Replayed<>("receipt 1"), survivors.execute(key, bytes("charge"), TEXT, failIfRun()));
        } finally {
            resume.countDown();
            zombie.shutdownNow();
            assertTrue(zombie.awaitTermination(WAIT_SECONDS, TimeUnit.SECONDS));
        }
    }

    @Test
    void shouldReplayWithinTheRetentionAndRunAgainAfterIt() throws Exception {
        Idempotency idempotency = Idempotency.builder(store()).lease(SHORT).retention(SHORT).build();
        IdempotencyKey key = randomKey();
        idempotency.execute(key, bytes("charge"), TEXT, () -> "first");
        assertEquals(new IdempotentResult.Replayed<>("first"), idempotency.execute(key, bytes("charge"), TEXT, failIfRun()));

        passTime(SHORT.plus(MARGIN));

        assertEquals(new IdempotentResult.Executed<>("second"), idempotency.execute(key, bytes("charge"), TEXT, () -> "second"));
    }

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

    @Test
    void shouldRejectNullArgumentsBeforeAnyEffect() throws Exception {
        Idempotency idempotency = Idempotency.builder(store()).lease(LONG).retention(LONG).build();
        IdempotencyKey key = randomKey();
        AtomicInteger runs = new AtomicInteger();
        IdempotentWork<String, RuntimeException> counted = () -> "run " + runs.incrementAndGet();

        assertThrows(NullPointerException.class, () -> idempotency.execute(null, bytes("charge"), TEXT, counted));
        assertThrows(NullPointerException.class, () -> idempotency.execute(key, null, TEXT, counted));
        assertThrows(NullPointerException.class, () -> idempotency.execute(key, bytes("charge"), null, counted));
        assertThrows(NullPointerException.class, () -> idempotency.execute(key, bytes("charge"), TEXT, null));

        assertEquals(0, runs.get(), "rejected calls never run the work");
        assertEquals(new IdempotentResult.Executed<>("run 1"), idempotency.execute(key, bytes("charge"), TEXT, counted),
                "rejected calls left the key free");
    }

    // ---------------------------------------------------------------- assertions

    private static void assertInProgress(Optional<IdempotencyRecord> found, String owner, byte[] fingerprint) {
        IdempotencyRecord record = found.orElseThrow(() -> new AssertionError("expected an existing record, the key was free"));
        assertEquals(Status.IN_PROGRESS, record.status());
        assertEquals(owner, record.owner(), "the record's owner");
        assertArrayEquals(fingerprint, record.fingerprint(), "the record's fingerprint");
        assertNull(record.response(), "an in-progress record has no response");
    }

    private static void assertCompleted(Optional<IdempotencyRecord> found, byte[] response) {
        IdempotencyRecord record = found.orElseThrow(() -> new AssertionError("expected a completed record, the key was free"));
        assertEquals(Status.COMPLETED, record.status());
        assertArrayEquals(response, record.response(), "the recorded response");
        assertEquals(Duration.ZERO, record.leaseRemaining(), "a completed record has no lease");
    }

    private static void assertRetryAfterWithin(IdempotentResult.InProgress<?> inProgress, Duration lease) {
        Duration retryAfter = inProgress.retryAfter();
        assertTrue(retryAfter.compareTo(Duration.ofMillis(1)) >= 0 && retryAfter.compareTo(lease) <= 0,
                "retry after 1 ms to the lease, was " + retryAfter);
    }

    private static IdempotentWork<String, RuntimeException> failIfRun() {
        return () -> fail("the work ran although the call should have been answered without it");
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String describe(IdempotencyKey key) {
        return "(" + key.scope().length() + " chars of scope, key " + key.key().codePoints().boxed().toList() + ")";
    }
}
