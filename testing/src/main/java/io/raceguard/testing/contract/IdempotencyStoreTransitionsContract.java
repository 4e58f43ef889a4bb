package io.raceguard.testing.contract;

import static io.raceguard.testing.contract.RandomIdempotencyInputs.randomFingerprint;
import static io.raceguard.testing.contract.RandomIdempotencyInputs.randomKey;
import static io.raceguard.testing.contract.RandomIdempotencyInputs.randomOwner;
import static io.raceguard.testing.contract.RandomIdempotencyInputs.randomScope;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raceguard.idempotency.Idempotency;
import io.raceguard.idempotency.IdempotencyKey;
import io.raceguard.idempotency.spi.IdempotencyRecord.Status;
import io.raceguard.idempotency.spi.IdempotencyRecord;
import io.raceguard.idempotency.spi.IdempotencyStore;
import io.raceguard.internal.Inputs;
import io.raceguard.testing.Hammer;
import io.raceguard.testing.Invariant;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestReporter;

/**
 * The first layer of the {@link IdempotencyStore} conformance kit: the store's own transitions and
 * retention, called directly. Backend authors extend {@link IdempotencyStoreContract}, which adds the
 * cases that drive the store through {@link Idempotency}; extend this class alone only for a store that
 * is not meant to back {@code Idempotency}.
 *
 * <p>It pins the semantics documented on {@link IdempotencyStore}: each transition on its own, owner
 * fencing (a non-owner's complete or release is refused and changes nothing), takeover only of an
 * expired lease and only from the expected owner, retention, exact keys and bytes, and the races
 * (concurrent claims, concurrent takers, a late owner against takers).
 *
 * <p>The races run on the {@link Hammer}: 20 platform threads released together behind one gate, 5
 * rounds on fresh keys (one round may miss a narrow window by luck); a failure reads as the hammer's
 * verdict, and each run's per-round table goes to the test's reporter.
 *
 * <p>Every test works on fresh random scopes and keys, so one store (or one shared server) may serve
 * all tests, and tests may run in parallel. Time-based tests use leases of a few hundred
 * milliseconds and wait a margin past them, so a store on a real clock passes in a few seconds.
 */
public abstract class IdempotencyStoreTransitionsContract {

    /** A lease that certainly outlives a test. */
    static final Duration LONG = Duration.ofMinutes(5);
    /** A lease or retention a test waits out. */
    static final Duration SHORT = Duration.ofMillis(200);
    /** How far past a deadline a test waits, for clock resolution and scheduling. */
    static final Duration MARGIN = Duration.ofMillis(100);
    static final int CONCURRENT_CALLS = 20;
    /** Races are repeated on fresh keys: one round may miss a narrow window by luck. */
    static final int RACE_ROUNDS = 5;

    /** For subclasses. */
    protected IdempotencyStoreTransitionsContract() {}

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
                    return new Claim(owner, store()
                            .claim(race.get().key(), race.get().fingerprint(), owner, LONG, LONG));
                })
                .expect(Invariant.exactly(1, "winning claims", Claim::won),
                        Invariant.that("every other claim sees the winner's record", round ->
                                winner(round.values(), Claim::won, Claim::owner).ifPresent(winner -> round.values()
                                        .forEach(claim -> claim.found().ifPresent(found ->
                                                assertInProgress(Optional.of(found), winner, race.get()
                                                        .fingerprint()))))));
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
        assertArrayEquals(response, found.response(),
                "a 1 MiB response with every byte value comes back byte for byte");
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

        assertTrue(store().complete(claimed.key(), claimed.owner(), bytes("done"), LONG),
                "the owner completes its record");

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

        assertFalse(store().complete(claimed.key(), randomOwner(), bytes("intruder"), LONG),
                "a non-owner cannot complete");

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

        assertFalse(store().takeOver(claimed.key(), claimed.owner(), randomOwner(), LONG),
                "a live lease is not taken over");

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
        assertFalse(store().complete(dead.key(), dead.owner(), bytes("stale"), LONG),
                "the old owner can no longer complete");
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
        assertFalse(store().takeOver(dead.key(), dead.owner(), randomOwner(), LONG),
                "the old owner is no longer expected");
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
                                    assertInProgress(claimAsStranger(dead.get().key()), winner, dead.get()
                                            .fingerprint()));
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
                        return store().complete(claimed.key(), claimed.owner(), bytes("late"), LONG) ? claimed.owner()
                                : null;
                    }
                    String taker = randomOwner();
                    return store().takeOver(claimed.key(), claimed.owner(), taker, LONG) ? taker : null;
                })
                .expect(Invariant.exactly(1, "winners of the late complete and the takeovers", Objects::nonNull),
                        Invariant.that("the record is the winner's", round ->
                                winner(round.values(), Objects::nonNull, winner -> winner).ifPresent(winner -> {
                                    IdempotencyRecord found = claimAsStranger(late.get().key()).orElseThrow();
                                    assertEquals(winner, found.owner());
                                    assertEquals(winner.equals(late.get().owner()) ? Status.COMPLETED
                                            : Status.IN_PROGRESS,
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

        assertFalse(store().complete(completion.key(), completion.owner(), bytes("too late"), LONG),
                "complete finds no record");
        assertKeyIsFree(completion.key());
        assertFalse(store().takeOver(takeover.key(), takeover.owner(), randomOwner(), LONG),
                "takeOver finds no record");
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

    // ---------------------------------------------------------------- fixtures and assertions

    /** A freshly claimed random key, its fingerprint and its owner. */
    record ClaimedKey(IdempotencyKey key, byte[] fingerprint, String owner) {}

    /** One concurrent claim: who claimed, and the record it found, empty if it won. */
    private record Claim(String owner, Optional<IdempotencyRecord> found) {
        boolean won() {
            return found.isEmpty();
        }
    }

    static Hammer hammer(int rounds, TestReporter reporter) {
        return ContractHammer.create(CONCURRENT_CALLS, rounds, reporter);
    }

    /** The winner of a round, if exactly one call won; the count itself is an invariant of its own. */
    private static <T> Optional<String> winner(List<T> values, Predicate<T> won, Function<T, String> name) {
        List<T> winners = values.stream().filter(won).toList();
        return winners.size() == 1 ? Optional.of(name.apply(winners.get(0))) : Optional.empty();
    }

    ClaimedKey claim(Duration lease, Duration retention) {
        ClaimedKey claimed = new ClaimedKey(randomKey(), randomFingerprint(), randomOwner());
        assertEquals(Optional.empty(), store()
                .claim(claimed.key(), claimed.fingerprint(), claimed.owner(), lease, retention),
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
    Optional<IdempotencyRecord> claimAsStranger(IdempotencyKey key) {
        return store().claim(key, randomFingerprint(), randomOwner(), LONG, LONG);
    }

    void assertKeyIsFree(IdempotencyKey key) {
        String owner = randomOwner();
        assertEquals(Optional.empty(), store().claim(key, randomFingerprint(), owner, LONG, LONG), "the key is free");
        assertEquals(owner, claimAsStranger(key).orElseThrow().owner(), "the new claim holds");
    }

    static void assertInProgress(Optional<IdempotencyRecord> found, ClaimedKey claimed) {
        assertInProgress(found, claimed.owner(), claimed.fingerprint());
    }

    static void assertInProgress(Optional<IdempotencyRecord> found, String owner, byte[] fingerprint) {
        IdempotencyRecord record = found.orElseThrow(() -> new AssertionError("expected an existing record, the key"
                + " was free"));
        assertEquals(Status.IN_PROGRESS, record.status());
        assertEquals(owner, record.owner(), "the record's owner");
        assertArrayEquals(fingerprint, record.fingerprint(), "the record's fingerprint");
        assertNull(record.response(), "an in-progress record has no response");
    }

    static void assertCompleted(Optional<IdempotencyRecord> found, byte[] response) {
        IdempotencyRecord record = found.orElseThrow(() -> new AssertionError("expected a completed record, the key"
                + " was free"));
        assertEquals(Status.COMPLETED, record.status());
        assertArrayEquals(response, record.response(), "the recorded response");
        assertEquals(Duration.ZERO, record.leaseRemaining(), "a completed record has no lease");
    }

    static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String describe(IdempotencyKey key) {
        return "(scope ending " + key.scope().substring(key.scope().lastIndexOf(':') + 1) + ", key code points "
                + key.key().codePoints().boxed().toList() + ")";
    }
}
