package io.raceguard.testing.contract;

import static io.raceguard.testing.contract.RandomIdempotencyInputs.randomFingerprint;
import static io.raceguard.testing.contract.RandomIdempotencyInputs.randomKey;
import static io.raceguard.testing.contract.RandomIdempotencyInputs.randomOwner;
import static io.raceguard.testing.contract.RandomIdempotencyInputs.randomScope;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
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
import io.raceguard.idempotency.spi.IdempotencyRecord.Status;
import io.raceguard.idempotency.spi.IdempotencyRecord;
import io.raceguard.idempotency.spi.IdempotencyStore;
import io.raceguard.internal.Inputs;
import io.raceguard.testing.Hammer;
import io.raceguard.testing.Invariant;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeEach;
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
 * <p>It pins the semantics documented on {@link IdempotencyStore}: each transition on its own, owner
 * fencing (a non-owner's complete or release is refused and changes nothing), takeover only of an
 * expired lease and only from the expected owner, retention, exact keys and bytes, and the races
 * (concurrent claims, concurrent takers, a late owner against takers). Then it drives the store
 * through {@link Idempotency} end to end: twenty concurrent calls on one key run the work once, a
 * changed payload is refused, scopes are kept apart, a failure frees the key, and a dead owner is
 * taken over exactly once.
 *
 * <p>The races run on the {@link Hammer}: 20 platform threads released together behind one gate, 5
 * rounds on fresh keys (one round may miss a narrow window by luck); a failure reads as the hammer's
 * verdict, and each run's per-round table goes to the test's reporter.
 *
 * <p>Every test works on fresh random scopes and keys, so one store (or one shared server) may serve
 * all tests, and tests may run in parallel. Time-based tests use leases of a few hundred
 * milliseconds and wait a margin past them, so a store on a real clock passes in a few seconds.
 *
 * <p><b>Bad input</b> is checked property-style too: keys, amounts and durations generated from a fixed
 * seed (empty, blank, 10 KB, control characters, unpaired surrogates, Lua and SQL metacharacters,
 * non-BMP, {@code Long} and {@code Duration} extremes), each either rejected before any effect or
 * round-tripped exactly. A failure names its seed; {@code -Draceguard.inputs.seed=<seed>} replays it
 * or tries another.
 */
public abstract class IdempotencyStoreContract {

    /** A lease that certainly outlives a test. */
    private static final Duration LONG = Duration.ofMinutes(5);
    /** A lease or retention a test waits out. */
    private static final Duration SHORT = Duration.ofMillis(200);
    /** How far past a deadline a test waits, for clock resolution and scheduling. */
    private static final Duration MARGIN = Duration.ofMillis(100);
    private static final int CONCURRENT_CALLS = 20;
    /** Races are repeated on fresh keys: one round may miss a narrow window by luck. */
    private static final int RACE_ROUNDS = 5;
    private static final long WAIT_SECONDS = 30;
    private static final int GENERATED_KEYS = 24;
    private static final IdempotencyCodec<String> TEXT = IdempotencyCodec.utf8();
    private static final byte[] CHARGE = bytes("charge 10 EUR");
    private static final byte[] OTHER_CHARGE = bytes("charge 99 EUR");

    private final ContractKeys keys = new ContractKeys();
    private final GeneratedInputs inputs = new GeneratedInputs();

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

    /**
     * Reaches the backend before the test runs, so that a backend whose server is missing skips the
     * test (its factory throws {@code TestAbortedException}, as {@code Assumptions.abort} does) instead
     * of failing it from inside an assertion or a concurrent call.
     */
    @BeforeEach
    public final void reachTheBackend() {
        store();
    }

    // ---------------------------------------------------------------- claim

    /** The first claim wins; later claims get the record, its owner, fingerprint and live lease. */
    @Test
    void shouldClaimAFreeKeyAndReturnTheRecordToLaterClaims() {
        IdempotencyKey key = randomKey();
        byte[] fingerprint = randomFingerprint();
        String owner = randomOwner();

        assertEquals(Optional.empty(), store().claim(key, fingerprint, owner, LONG, LONG), "the first claim wins");

        Optional<IdempotencyRecord> found = claimAsStranger(key);
        assertInProgress(found, owner, fingerprint);
        Duration remaining = found.orElseThrow().leaseRemaining();
        assertTrue(remaining.compareTo(Duration.ZERO) > 0 && remaining.compareTo(LONG) <= 0,
                "a live lease has 0 < remaining <= lease, was " + remaining);
    }

    /** A claim that finds a record changes nothing, not even when its owner claims again. */
    @Test
    void shouldLeaveTheRecordUnchangedWhenAClaimFindsIt() {
        ClaimedKey claimed = claim(LONG, LONG);

        claimAsStranger(claimed.key());
        Optional<IdempotencyRecord> sameOwnerAgain =
                store().claim(claimed.key(), claimed.fingerprint(), claimed.owner(), LONG, LONG);

        assertInProgress(sameOwnerAgain, claimed);
        assertInProgress(claimAsStranger(claimed.key()), claimed);
    }

    /**
     * Concurrent claims on one key: exactly one wins and every other one sees the winner's record.
     *
     * @param reporter gets the hammer's verdict and per-round table
     */
    @Test
    void shouldLetExactlyOneOfManyConcurrentClaimsWin(TestReporter reporter) {
        AtomicReference<ClaimedKey> race = new AtomicReference<>();

        hammer(RACE_ROUNDS, reporter)
                .beforeEachRound(() -> race.set(new ClaimedKey(randomKey(), randomFingerprint(), "")))
                .fire(() -> {
                    String owner = randomOwner();
                    return new Claim(owner, store().claim(race.get().key(), race.get().fingerprint(), owner, LONG, LONG));
                })
                .expect(Invariant.exactly(1, "winning claims", Claim::won),
                        Invariant.that("every other claim sees the winner's record", round ->
                                winner(round.values(), Claim::won, Claim::owner).ifPresent(winner -> round.values()
                                        .forEach(claim -> claim.found().ifPresent(found ->
                                                assertInProgress(Optional.of(found), winner, race.get().fingerprint()))))));
    }

    /** Scope and key are compared as exact strings, apart from each other. */
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
                    "a key distinct from the ones before is free: " + describe(key));
        }
        for (int i = 0; i < keys.size(); i++) {
            assertEquals(owners.get(i), claimAsStranger(keys.get(i)).orElseThrow().owner(),
                    "each key keeps its own record: " + describe(keys.get(i)));
        }
    }

    /** Keys at the length limit are stored whole: two that differ only in the last character are two keys. */
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

        assertCompleted(claimAsStranger(first), bytes("first"));
        assertEquals(secondOwner, claimAsStranger(second).orElseThrow().owner());
    }

    /** Fingerprint and response come back byte for byte: every byte value, and 1 MiB of response. */
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

        IdempotencyRecord found = claimAsStranger(key).orElseThrow();
        assertArrayEquals(fingerprint, found.fingerprint(), "the fingerprint comes back byte for byte");
        assertArrayEquals(response, found.response(), "a 1 MiB response with every byte value comes back byte for byte");
    }

    /** An empty response is a response: it comes back empty, never null. */
    @Test
    void shouldKeepAnEmptyResponseEmpty() {
        ClaimedKey claimed = claim(LONG, LONG);

        assertTrue(store().complete(claimed.key(), claimed.owner(), new byte[0], LONG));

        assertCompleted(claimAsStranger(claimed.key()), new byte[0]);
    }

    // ---------------------------------------------------------------- complete

    /** The owner completes its record; owner and fingerprint stay, and a completed record has no lease. */
    @Test
    void shouldCompleteForTheOwnerKeepingOwnerAndFingerprint() {
        ClaimedKey claimed = claim(LONG, LONG);

        assertTrue(store().complete(claimed.key(), claimed.owner(), bytes("done"), LONG), "the owner completes its record");

        IdempotencyRecord found = claimAsStranger(claimed.key()).orElseThrow();
        assertEquals(Status.COMPLETED, found.status());
        assertEquals(claimed.owner(), found.owner());
        assertArrayEquals(claimed.fingerprint(), found.fingerprint());
        assertArrayEquals(bytes("done"), found.response());
        assertEquals(Duration.ZERO, found.leaseRemaining(), "a completed record has no lease");
    }

    /** Owner fencing: a non-owner's complete is refused and leaves the record as it was. */
    @Test
    void shouldRefuseCompleteByAnotherOwnerAndChangeNothing() {
        ClaimedKey claimed = claim(LONG, LONG);

        assertFalse(store().complete(claimed.key(), randomOwner(), bytes("intruder"), LONG), "a non-owner cannot complete");

        assertInProgress(claimAsStranger(claimed.key()), claimed);
        assertTrue(store().complete(claimed.key(), claimed.owner(), bytes("owner"), LONG), "the owner still can");
    }

    /** Completing a key nobody claimed is refused and creates no record. */
    @Test
    void shouldRefuseCompleteOfAMissingRecordAndCreateNothing() {
        IdempotencyKey key = randomKey();

        assertFalse(store().complete(key, randomOwner(), bytes("nothing claimed"), LONG));

        assertKeyIsFree(key);
    }

    /** A completed record is never completed again: the first response stays. */
    @Test
    void shouldCompleteOnlyOnce() {
        ClaimedKey claimed = claim(LONG, LONG);
        assertTrue(store().complete(claimed.key(), claimed.owner(), bytes("first"), LONG));

        assertFalse(store().complete(claimed.key(), claimed.owner(), bytes("second"), LONG),
                "a completed record is not completed again");

        assertCompleted(claimAsStranger(claimed.key()), bytes("first"));
    }

    /** Lease expiry alone takes nothing from the owner: until someone takes over, it may still complete. */
    @Test
    void shouldCompleteAfterTheLeaseExpiredWhenNobodyTookOver() throws InterruptedException {
        ClaimedKey claimed = claim(SHORT, LONG);
        passTime(SHORT.plus(MARGIN));

        assertTrue(store().complete(claimed.key(), claimed.owner(), bytes("late but unchallenged"), LONG));

        assertCompleted(claimAsStranger(claimed.key()), bytes("late but unchallenged"));
    }

    // ---------------------------------------------------------------- release

    /** The owner's release deletes the record, so that the key can be claimed again. */
    @Test
    void shouldReleaseForTheOwnerSoTheKeyCanBeClaimedAgain() {
        ClaimedKey claimed = claim(LONG, LONG);

        assertTrue(store().release(claimed.key(), claimed.owner()));

        assertFalse(store().release(claimed.key(), claimed.owner()), "a released record is gone");
        assertKeyIsFree(claimed.key());
    }

    /** Lease expiry alone takes nothing from the owner: until someone takes over, it may still release. */
    @Test
    void shouldReleaseAfterTheLeaseExpiredWhenNobodyTookOver() throws InterruptedException {
        ClaimedKey claimed = claim(SHORT, LONG);
        passTime(SHORT.plus(MARGIN));

        assertTrue(store().release(claimed.key(), claimed.owner()));

        assertKeyIsFree(claimed.key());
    }

    /** Owner fencing: a non-owner's release is refused and leaves the record as it was. */
    @Test
    void shouldRefuseReleaseByAnotherOwnerAndChangeNothing() {
        ClaimedKey claimed = claim(LONG, LONG);

        assertFalse(store().release(claimed.key(), randomOwner()), "a non-owner cannot release");

        assertInProgress(claimAsStranger(claimed.key()), claimed);
    }

    /** A completed record is never deleted, not even by its owner. */
    @Test
    void shouldNeverReleaseACompletedRecord() {
        ClaimedKey claimed = claim(LONG, LONG);
        assertTrue(store().complete(claimed.key(), claimed.owner(), bytes("kept"), LONG));

        assertFalse(store().release(claimed.key(), claimed.owner()), "not even its owner releases a completed record");

        assertCompleted(claimAsStranger(claimed.key()), bytes("kept"));
    }

    /** Releasing a key nobody claimed is refused. */
    @Test
    void shouldRefuseReleaseOfAMissingRecord() {
        IdempotencyKey key = randomKey();

        assertFalse(store().release(key, randomOwner()));

        assertKeyIsFree(key);
    }

    // ---------------------------------------------------------------- takeOver

    /** A live lease is never taken over, not even with the right expected owner. */
    @Test
    void shouldRefuseTakeOverWhileTheLeaseIsLive() {
        ClaimedKey claimed = claim(LONG, LONG);

        assertFalse(store().takeOver(claimed.key(), claimed.owner(), randomOwner(), LONG), "a live lease is not taken over");

        assertInProgress(claimAsStranger(claimed.key()), claimed);
    }

    /** An expired lease goes to the new owner with a fresh lease; the old owner is fenced out. */
    @Test
    void shouldTakeOverAnExpiredLeaseFromTheExpectedOwnerAndFenceTheOldOwnerOut() throws InterruptedException {
        ClaimedKey dead = claim(SHORT, LONG);
        String newOwner = randomOwner();
        passTime(SHORT.plus(MARGIN));
        assertEquals(Duration.ZERO, claimAsStranger(dead.key()).orElseThrow().leaseRemaining(),
                "an expired lease has nothing remaining");

        assertTrue(store().takeOver(dead.key(), dead.owner(), newOwner, LONG));

        Optional<IdempotencyRecord> found = claimAsStranger(dead.key());
        assertInProgress(found, newOwner, dead.fingerprint());
        assertTrue(found.orElseThrow().leaseRemaining().compareTo(SHORT) > 0, "the new owner holds a fresh lease");
        assertFalse(store().complete(dead.key(), dead.owner(), bytes("stale"), LONG), "the old owner can no longer complete");
        assertFalse(store().release(dead.key(), dead.owner()), "the old owner can no longer release");
        assertTrue(store().complete(dead.key(), newOwner, bytes("fresh"), LONG));
        assertCompleted(claimAsStranger(dead.key()), bytes("fresh"));
    }

    /** Takeover is a compare-and-set on the owner: the wrong expected owner changes nothing. */
    @Test
    void shouldRefuseTakeOverFromAnOwnerOtherThanTheExpectedOne() throws InterruptedException {
        ClaimedKey claimed = claim(SHORT, LONG);
        passTime(SHORT.plus(MARGIN));

        assertFalse(store().takeOver(claimed.key(), randomOwner(), randomOwner(), LONG), "takeover compares the owner");

        assertInProgress(claimAsStranger(claimed.key()), claimed);
    }

    /** A completed record is never taken over. */
    @Test
    void shouldRefuseTakeOverOfACompletedRecord() throws InterruptedException {
        ClaimedKey claimed = claim(SHORT, LONG);
        assertTrue(store().complete(claimed.key(), claimed.owner(), bytes("done"), LONG));
        passTime(SHORT.plus(MARGIN));

        assertFalse(store().takeOver(claimed.key(), claimed.owner(), randomOwner(), LONG));

        assertCompleted(claimAsStranger(claimed.key()), bytes("done"));
    }

    /** Taking over a key nobody claimed is refused and creates no record. */
    @Test
    void shouldRefuseTakeOverOfAMissingRecordAndCreateNothing() {
        IdempotencyKey key = randomKey();

        assertFalse(store().takeOver(key, randomOwner(), randomOwner(), LONG));

        assertKeyIsFree(key);
    }

    /** After a takeover, the fresh lease protects the new owner as a claim would. */
    @Test
    void shouldProtectATakenOverRecordWithItsFreshLease() throws InterruptedException {
        ClaimedKey dead = claim(SHORT, LONG);
        String newOwner = randomOwner();
        passTime(SHORT.plus(MARGIN));
        assertTrue(store().takeOver(dead.key(), dead.owner(), newOwner, LONG));

        assertFalse(store().takeOver(dead.key(), newOwner, randomOwner(), LONG), "the fresh lease is live");
        assertFalse(store().takeOver(dead.key(), dead.owner(), randomOwner(), LONG), "the old owner is no longer expected");
    }

    /**
     * Concurrent takers of one expired lease: exactly one wins, and the dead owner stays fenced out.
     *
     * @param reporter gets the hammer's verdict and per-round table
     * @throws InterruptedException if interrupted while time passes
     */
    @Test
    void shouldGiveAnExpiredLeaseToExactlyOneOfManyConcurrentTakers(TestReporter reporter) throws InterruptedException {
        Iterator<ClaimedKey> deadClaims = claimWithShortLeases(RACE_ROUNDS).iterator();
        passTime(SHORT.plus(MARGIN));
        AtomicReference<ClaimedKey> dead = new AtomicReference<>();

        hammer(RACE_ROUNDS, reporter).withoutShrinking() // each round uses up one of the expired claims
                .beforeEachRound(() -> dead.set(deadClaims.next()))
                .fire(() -> {
                    String taker = randomOwner();
                    return store().takeOver(dead.get().key(), dead.get().owner(), taker, LONG) ? taker : null;
                })
                .expect(Invariant.exactly(1, "winning takers", Objects::nonNull),
                        Invariant.that("the winner holds the claim and the dead owner stays fenced out", round -> {
                            winner(round.values(), Objects::nonNull, taker -> taker).ifPresent(winner ->
                                    assertInProgress(claimAsStranger(dead.get().key()), winner, dead.get().fingerprint()));
                            assertFalse(store().complete(dead.get().key(), dead.get().owner(), bytes("late"), LONG),
                                    "the dead owner's late complete is refused");
                        }));
    }

    /**
     * An owner completing late (worker 0) races the takers: exactly one of them wins, never both.
     *
     * @param reporter gets the hammer's verdict and per-round table
     * @throws InterruptedException if interrupted while time passes
     */
    @Test
    void shouldLetEitherTheLateOwnerOrOneTakerWinButNeverBoth(TestReporter reporter) throws InterruptedException {
        Iterator<ClaimedKey> lateClaims = claimWithShortLeases(RACE_ROUNDS).iterator();
        passTime(SHORT.plus(MARGIN));
        AtomicReference<ClaimedKey> late = new AtomicReference<>();

        hammer(RACE_ROUNDS, reporter).withoutShrinking() // each round uses up one of the expired claims
                .beforeEachRound(() -> late.set(lateClaims.next()))
                .fire(worker -> {
                    ClaimedKey claimed = late.get();
                    if (worker == 0) {
                        return store().complete(claimed.key(), claimed.owner(), bytes("late"), LONG) ? claimed.owner() : null;
                    }
                    String taker = randomOwner();
                    return store().takeOver(claimed.key(), claimed.owner(), taker, LONG) ? taker : null;
                })
                .expect(Invariant.exactly(1, "winners of the late complete and the takeovers", Objects::nonNull),
                        Invariant.that("the record is the winner's", round ->
                                winner(round.values(), Objects::nonNull, winner -> winner).ifPresent(winner -> {
                                    IdempotencyRecord found = claimAsStranger(late.get().key()).orElseThrow();
                                    assertEquals(winner, found.owner());
                                    assertEquals(winner.equals(late.get().owner()) ? Status.COMPLETED : Status.IN_PROGRESS,
                                            found.status());
                                })));
    }

    // ---------------------------------------------------------------- retention

    /** An in-progress record past its retention is absent to every method. */
    @Test
    void shouldForgetAnInProgressRecordAfterItsRetention() throws InterruptedException {
        // One key per method, so that one method dropping the expired record cannot hide another's bug.
        ClaimedKey completion = claim(SHORT, SHORT);
        ClaimedKey takeover = claim(SHORT, SHORT);
        ClaimedKey release = claim(SHORT, SHORT);
        ClaimedKey untouched = claim(SHORT, SHORT);
        passTime(SHORT.plus(MARGIN));

        assertFalse(store().complete(completion.key(), completion.owner(), bytes("too late"), LONG), "complete finds no record");
        assertKeyIsFree(completion.key());
        assertFalse(store().takeOver(takeover.key(), takeover.owner(), randomOwner(), LONG), "takeOver finds no record");
        assertKeyIsFree(takeover.key());
        assertFalse(store().release(release.key(), release.owner()), "release finds no record");
        assertKeyIsFree(release.key());
        assertKeyIsFree(untouched.key());
    }

    /** A completed record is kept for the retention given to complete, then forgotten. */
    @Test
    void shouldForgetACompletedRecordAfterTheRetentionGivenToComplete() throws InterruptedException {
        ClaimedKey claimed = claim(SHORT, LONG);
        assertTrue(store().complete(claimed.key(), claimed.owner(), bytes("short-lived"), SHORT));
        passTime(SHORT.plus(MARGIN));

        assertKeyIsFree(claimed.key());
    }

    /** A completed record's retention counts from its completion, not from its claim. */
    @Test
    void shouldCountACompletedRecordsRetentionFromItsCompletion() throws InterruptedException {
        ClaimedKey claimed = claim(SHORT, SHORT.multipliedBy(3));
        passTime(SHORT.plus(MARGIN));
        assertTrue(store().complete(claimed.key(), claimed.owner(), bytes("kept"), LONG));

        passTime(SHORT.multipliedBy(2));

        assertCompleted(claimAsStranger(claimed.key()), bytes("kept"));
    }

    /** A taken-over record outlives its original retention until its fresh lease ends. */
    @Test
    void shouldKeepATakenOverRecordAtLeastUntilItsFreshLeaseEnds() throws InterruptedException {
        ClaimedKey dead = claim(SHORT, SHORT.multipliedBy(3));
        String newOwner = randomOwner();
        passTime(SHORT.plus(MARGIN));
        assertTrue(store().takeOver(dead.key(), dead.owner(), newOwner, LONG));

        passTime(SHORT.multipliedBy(2));

        assertInProgress(claimAsStranger(dead.key()), newOwner, dead.fingerprint());
    }

    // ---------------------------------------------------------------- through Idempotency

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
                                assertEquals(1, runs.get(), "the work ran once for " + CONCURRENT_CALLS + " concurrent calls")),
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

        assertEquals(new Executed<>("alice's receipt"), idempotency.execute(alice, CHARGE, TEXT, () -> "alice's receipt"));
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
            Future<IdempotentResult<String>> stalled = stalledThread.submit(() -> stallingProcess.execute(key, CHARGE, TEXT, () -> {
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
                                    assertEquals(1, runs.get(), "exactly one retry took the expired claim over and ran the work")),
                            Invariant.that("the others replayed it or were told to retry", round ->
                                    assertRunOnceWithResult("receipt 1", round.values())));
            resume.countDown();
            ExecutionException late = assertThrows(ExecutionException.class, () -> stalled.get(WAIT_SECONDS, TimeUnit.SECONDS));
            ClaimLostException lost = assertInstanceOf(ClaimLostException.class, late.getCause(), "the late result is refused");
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
                    GeneratedInputs.assertNames("scope", assertThrows(IllegalArgumentException.class, () -> IdempotencyKey.of(text, "client key")));
                    GeneratedInputs.assertNames("key", assertThrows(IllegalArgumentException.class, () -> IdempotencyKey.of(scope, text)));
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
        assertEquals(new Executed<>("run 1"), idempotency.execute(key, CHARGE, TEXT, counted), "rejected calls left the key free");
    }

    // ---------------------------------------------------------------- fixtures and assertions

    private Idempotency idempotency(Duration lease, Duration retention) {
        return Idempotency.builder(store()).lease(lease).retention(retention).build();
    }

    /** A freshly claimed random key, its fingerprint and its owner. */
    private record ClaimedKey(IdempotencyKey key, byte[] fingerprint, String owner) {}

    /** One concurrent claim: who claimed, and the record it found, empty if it won. */
    private record Claim(String owner, Optional<IdempotencyRecord> found) {
        boolean won() {
            return found.isEmpty();
        }
    }

    private static Hammer hammer(int rounds, TestReporter reporter) {
        return ContractHammer.create(CONCURRENT_CALLS, rounds, reporter);
    }

    /** The winner of a round, if exactly one call won; the count itself is an invariant of its own. */
    private static <T> Optional<String> winner(List<T> values, Predicate<T> won, Function<T, String> name) {
        List<T> winners = values.stream().filter(won).toList();
        return winners.size() == 1 ? Optional.of(name.apply(winners.get(0))) : Optional.empty();
    }

    private ClaimedKey claim(Duration lease, Duration retention) {
        ClaimedKey claimed = new ClaimedKey(randomKey(), randomFingerprint(), randomOwner());
        assertEquals(Optional.empty(), store().claim(claimed.key(), claimed.fingerprint(), claimed.owner(), lease, retention),
                "a fresh random key is free");
        return claimed;
    }

    private List<ClaimedKey> claimWithShortLeases(int count) {
        List<ClaimedKey> claimed = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            claimed.add(claim(SHORT, LONG));
        }
        return claimed;
    }

    /**
     * A claim is the store's only read: a stranger's claim returns the record if there is one (and
     * claims the key if there is none).
     */
    private Optional<IdempotencyRecord> claimAsStranger(IdempotencyKey key) {
        return store().claim(key, randomFingerprint(), randomOwner(), LONG, LONG);
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

    private void assertKeyIsFree(IdempotencyKey key) {
        String owner = randomOwner();
        assertEquals(Optional.empty(), store().claim(key, randomFingerprint(), owner, LONG, LONG), "the key is free");
        assertEquals(owner, claimAsStranger(key).orElseThrow().owner(), "the new claim holds");
    }

    private static void assertInProgress(Optional<IdempotencyRecord> found, ClaimedKey claimed) {
        assertInProgress(found, claimed.owner(), claimed.fingerprint());
    }

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

    /** Exactly one call executed {@code value}; every other one replayed it or was told to retry. */
    private static void assertRunOnceWithResult(String value, List<IdempotentResult<String>> results) {
        assertEquals(1, results.stream().filter(Executed.class::isInstance).count(), "exactly one call executed: " + results);
        for (IdempotentResult<String> result : results) {
            if (result instanceof InProgress<String>) {
                assertRetryAfterWithin(LONG, result);
            } else {
                assertTrue(result.equals(new Executed<>(value)) || result.equals(new Replayed<>(value)), "unexpected " + result);
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

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String describe(IdempotencyKey key) {
        return "(scope ending " + key.scope().substring(key.scope().lastIndexOf(':') + 1) + ", key code points "
                + key.key().codePoints().boxed().toList() + ")";
    }
}
