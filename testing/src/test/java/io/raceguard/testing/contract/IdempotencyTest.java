package io.raceguard.testing.contract;

import static io.raceguard.testing.contract.RandomIdempotencyInputs.randomKey;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.raceguard.BackendException;
import io.raceguard.idempotency.ClaimLostException;
import io.raceguard.idempotency.Idempotency;
import io.raceguard.idempotency.IdempotencyCodec;
import io.raceguard.idempotency.IdempotencyKey;
import io.raceguard.idempotency.IdempotentResult.Executed;
import io.raceguard.idempotency.IdempotentResult.InProgress;
import io.raceguard.idempotency.IdempotentResult.Replayed;
import io.raceguard.idempotency.IdempotentResult;
import io.raceguard.idempotency.InMemoryIdempotencyStore;
import io.raceguard.idempotency.spi.IdempotencyRecord;
import io.raceguard.idempotency.spi.IdempotencyStore;
import io.raceguard.testing.ManualTicker;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The engine's own paths: lost claims, faults around the work, the loop bound, statuses and the builder. */
final class IdempotencyTest {

    private static final Duration LEASE = Duration.ofSeconds(10);
    private static final Duration RETENTION = Duration.ofHours(1);
    private static final byte[] REQUEST = "charge 10 EUR".getBytes(StandardCharsets.UTF_8);
    private static final IdempotencyCodec<String> TEXT = IdempotencyCodec.utf8();

    private final ManualTicker ticker = new ManualTicker();
    private final IdempotencyStore store = InMemoryIdempotencyStore.create(ticker);
    private final Idempotency idempotency = Idempotency.builder(store).lease(LEASE).retention(RETENTION).build();
    private final IdempotencyKey key = randomKey();

    @Test
    void shouldThrowClaimLostWhenTheClaimIsTakenOverWhileTheWorkRuns() {
        List<IdempotentResult<String>> taker = new ArrayList<>();

        assertThatThrownBy(() -> idempotency.execute(key, REQUEST, TEXT, () -> {
            ticker.advance(LEASE.plusSeconds(1));
            taker.add(idempotency.execute(key, REQUEST, TEXT, () -> "taker's receipt"));
            return "overrunning receipt";
        }))
                .isInstanceOf(ClaimLostException.class)
                .hasMessageContaining(key.scope())
                .hasMessageContaining("use a lease longer")
                .hasMessageNotContaining(key.key())
                .satisfies(thrown -> {
                    assertThat(((ClaimLostException) thrown).scope()).isEqualTo(key.scope());
                    assertThat(((ClaimLostException) thrown).lease()).isEqualTo(LEASE);
                });

        assertThat(taker).containsExactly(new Executed<>("taker's receipt"));
        assertThat(idempotency.execute(key, REQUEST, TEXT, () -> "third")).isEqualTo(new Replayed<>("taker's receipt"));
    }

    @Test
    void shouldThrowClaimLostWhenTheRecordPassesItsRetentionWhileTheWorkRuns() {
        Idempotency briefRecords = Idempotency.builder(store).lease(LEASE).retention(LEASE).build();

        assertThatThrownBy(() -> briefRecords.execute(key, REQUEST, TEXT, () -> {
            ticker.advance(LEASE.plusSeconds(1));
            return "unrecorded receipt";
        })).isInstanceOf(ClaimLostException.class);

        assertThat(briefRecords.execute(key, REQUEST, TEXT, () -> "rerun")).isEqualTo(new Executed<>("rerun"));
    }

    @Test
    void shouldAddAFailedReleaseToTheWorksFailureAsSuppressed() {
        BackendException releaseFailure = new BackendException("release failed",
                new IllegalStateException("connection reset"));
        Idempotency failingRelease = Idempotency.builder(new ForwardingIdempotencyStore(store) {
            @Override
            public boolean release(IdempotencyKey released, String owner) {
                throw releaseFailure;
            }
        }).build();
        IllegalStateException workFailure = new IllegalStateException("payment declined");

        assertThatThrownBy(() -> failingRelease.execute(key, REQUEST, TEXT, () -> {
            throw workFailure;
        }))
                .isSameAs(workFailure)
                .hasSuppressedException(releaseFailure);
    }

    @Test
    void shouldFreeTheKeyWhenTheWorkThrowsAnError() {
        StackOverflowError error = new StackOverflowError("deep");

        assertThatThrownBy(() -> idempotency.execute(key, REQUEST, TEXT, () -> {
            throw error;
        })).isSameAs(error);

        assertThat(idempotency.execute(key, REQUEST, TEXT, () -> "retried")).isEqualTo(new Executed<>("retried"));
    }

    @Test
    void shouldFreeTheKeyWhenTheCodecCannotEncodeTheResult() {
        IllegalArgumentException encodingFailure = new IllegalArgumentException("not serializable");
        IdempotencyCodec<String> brokenCodec = new IdempotencyCodec<>() {
            @Override
            public byte[] encode(String value) {
                throw encodingFailure;
            }

            @Override
            public String decode(byte[] bytes) {
                return TEXT.decode(bytes);
            }
        };

        assertThatThrownBy(() -> idempotency.execute(key, REQUEST, brokenCodec, () -> "receipt"))
                .isSameAs(encodingFailure);

        assertThat(idempotency.execute(key, REQUEST, TEXT, () -> "retried")).isEqualTo(new Executed<>("retried"));
    }

    @Test
    void shouldLeaveTheKeyInProgressWhenRecordingTheResultFails() {
        BackendException completeFailure = new BackendException("complete failed",
                new IllegalStateException("timeout"));
        Idempotency failingComplete = Idempotency.builder(new ForwardingIdempotencyStore(store) {
            @Override
            public boolean complete(IdempotencyKey completed, String owner, byte[] response, Duration retention) {
                throw completeFailure;
            }
        }).lease(LEASE).build();
        AtomicInteger runs = new AtomicInteger();

        assertThatThrownBy(() -> failingComplete.execute(key, REQUEST, TEXT, () -> "run " + runs.incrementAndGet()))
                .isSameAs(completeFailure);

        // The work has run: releasing would invite an immediate second run; the lease delays it instead.
        assertThat(idempotency.execute(key, REQUEST, TEXT, () -> "run " + runs.incrementAndGet()))
                .isInstanceOf(InProgress.class);
        assertThat(runs).hasValue(1);
    }

    @Test
    void shouldReplayWhatAFasterTakerRecordedAfterLosingTheTakeover() throws NoSuchAlgorithmException {
        abandonAClaimOnTheKey();
        Idempotency fasterTaker = Idempotency.builder(store).lease(LEASE).retention(RETENTION).build();
        Idempotency slowerTaker = Idempotency.builder(new ForwardingIdempotencyStore(store) {
            @Override
            public boolean takeOver(IdempotencyKey taken, String expectedOwner, String newOwner, Duration lease) {
                assertThat(fasterTaker.execute(taken, REQUEST, TEXT, () -> "faster receipt"))
                        .isEqualTo(new Executed<>("faster receipt"));
                return super.takeOver(taken, expectedOwner, newOwner, lease);
            }
        }).lease(LEASE).retention(RETENTION).build();

        IdempotentResult<String> result = slowerTaker.execute(key, REQUEST, TEXT, () -> "slower receipt");

        assertThat(result).isEqualTo(new Replayed<>("faster receipt"));
    }

    @Test
    void shouldStopCompetingForAnExpiredLeaseAfterABoundedNumberOfClaims() throws NoSuchAlgorithmException {
        abandonAClaimOnTheKey();
        AtomicInteger claims = new AtomicInteger();
        Idempotency alwaysOutrun = Idempotency.builder(new ForwardingIdempotencyStore(store) {
            @Override
            public Optional<IdempotencyRecord> claim(
                    IdempotencyKey claimed, byte[] fingerprint, String owner, Duration lease, Duration retention) {
                claims.incrementAndGet();
                return super.claim(claimed, fingerprint, owner, lease, retention);
            }

            @Override
            public boolean takeOver(IdempotencyKey taken, String expectedOwner, String newOwner, Duration lease) {
                return false;
            }
        }).lease(LEASE).retention(RETENTION).build();

        IdempotentResult<String> result = alwaysOutrun.execute(key, REQUEST, TEXT, () -> "never");

        assertThat(result).isEqualTo(new InProgress<String>(Duration.ofMillis(1)));
        assertThat(claims).hasValue(3);
    }

    @Test
    void shouldAskToRetryAfterTheLeaseRemainingButAtLeastOneMillisecond() {
        List<IdempotentResult<String>> seen = new ArrayList<>();
        idempotency.execute(key, REQUEST, TEXT, () -> {
            seen.add(idempotency.execute(key, REQUEST, TEXT, () -> "nested"));
            ticker.advance(LEASE.minusNanos(1000));
            seen.add(idempotency.execute(key, REQUEST, TEXT, () -> "nested"));
            return "receipt";
        });

        assertThat(seen).containsExactly(new InProgress<>(LEASE), new InProgress<>(Duration.ofMillis(1)));
    }

    @Test
    void shouldDefaultToAThirtySecondLeaseAndADayOfRetention() {
        Idempotency defaults = Idempotency.builder(store).build();
        List<IdempotentResult<String>> nested = new ArrayList<>();

        defaults.execute(key, REQUEST, TEXT, () -> {
            nested.add(defaults.execute(key, REQUEST, TEXT, () -> "nested"));
            return "receipt";
        });
        ticker.advance(Duration.ofHours(24).minusNanos(1));
        IdempotentResult<String> lastDay = defaults.execute(key, REQUEST, TEXT, () -> "rerun");
        ticker.advance(Duration.ofNanos(1));
        IdempotentResult<String> nextDay = defaults.execute(key, REQUEST, TEXT, () -> "rerun");

        assertThat(nested).containsExactly(new InProgress<>(Duration.ofSeconds(30)));
        assertThat(lastDay).isEqualTo(new Replayed<>("receipt"));
        assertThat(nextDay).isEqualTo(new Executed<>("rerun"));
    }

    @Test
    void shouldRequireARetentionAtLeastAsLongAsTheLease() {
        assertThatThrownBy(() -> Idempotency.builder(store).lease(Duration.ofMinutes(2))
                .retention(Duration.ofMinutes(1)).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("retention")
                .hasMessageContaining("lease");
        assertThatThrownBy(() -> Idempotency.builder(store).lease(Duration.ofDays(2)).build())
                .as("the default retention of 24 hours is shorter than this lease")
                .isInstanceOf(IllegalArgumentException.class);
        assertThatCode(() -> Idempotency.builder(store).lease(Duration.ofMinutes(1)).retention(Duration.ofMinutes(1))
                .build())
                .doesNotThrowAnyException();
    }

    @Test
    void shouldAcceptEachOptionOnceAndOnlyInRange() {
        Idempotency.Builder builder = Idempotency.builder(store).lease(LEASE).retention(RETENTION);

        assertThatThrownBy(() -> builder.lease(LEASE)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("lease");
        assertThatThrownBy(() -> builder.retention(RETENTION)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("retention");
        assertThatThrownBy(() -> Idempotency.builder(null)).isInstanceOf(NullPointerException.class)
                .hasMessage("store");
        assertThatThrownBy(() -> Idempotency.builder(store).lease(null)).isInstanceOf(NullPointerException.class)
                .hasMessage("lease");
        assertThatThrownBy(() -> Idempotency.builder(store).lease(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Idempotency.builder(store).lease(Duration.ofMillis(-1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Idempotency.builder(store).lease(Duration.ofNanos(999_999)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Idempotency.builder(store).retention(Duration.ofDays(366)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    /** Leaves {@link #key} claimed for {@link #REQUEST} by an owner that died: its lease has run out. */
    private void abandonAClaimOnTheKey() throws NoSuchAlgorithmException {
        byte[] fingerprint = MessageDigest.getInstance("SHA-256").digest(REQUEST);
        assertThat(store.claim(key, fingerprint, "dead owner", LEASE, RETENTION)).isEmpty();
        ticker.advance(LEASE.plusSeconds(1));
    }
}
