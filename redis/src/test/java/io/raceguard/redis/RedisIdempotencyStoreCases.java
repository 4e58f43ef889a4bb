package io.raceguard.redis;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.raceguard.idempotency.IdempotencyKey;
import io.raceguard.idempotency.spi.IdempotencyRecord.Status;
import io.raceguard.idempotency.spi.IdempotencyRecord;
import io.raceguard.idempotency.spi.IdempotencyStore;
import io.raceguard.testing.contract.IdempotencyStoreContract;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The idempotency store contract on {@link RedisIdempotencyStore}, plus what only Redis can get
 * wrong: leases on the server's {@code TIME}, retention as the key's ttl, and awkward keys inside
 * script arguments. After each test every key left under the class's prefix must expire within the
 * longest retention the kit gives, five minutes.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
abstract class RedisIdempotencyStoreCases extends IdempotencyStoreContract {

    private static final Duration LONGEST_RETENTION = Duration.ofMinutes(5);
    private static final Duration MINUTE = Duration.ofMinutes(1);

    private IdempotencyStore store;

    /** @return the Redis of the subclass, started once for the class */
    abstract RedisTarget target();

    private String storePrefix() {
        return target().prefix() + "idempotency:";
    }

    @BeforeEach
    void open() {
        store = RedisIdempotencyStore.create(target().client(), storePrefix());
    }

    @Override
    protected IdempotencyStore store() {
        return store;
    }

    @AfterEach
    void checkEveryKeyExpires() {
        target().assertNothingOutlivesItsTtl(LONGEST_RETENTION);
    }

    private static IdempotencyKey newKey() {
        return IdempotencyKey.of("user:" + UUID.randomUUID() + ":POST /charges", UUID.randomUUID().toString());
    }

    private static String newOwner() {
        return UUID.randomUUID().toString();
    }

    private String redisKey(IdempotencyKey key) {
        return SlotKeys.tagged(storePrefix(), key.scope().length() + ":" + key.scope() + key.key());
    }

    @Test
    void shouldRoundTripAKeyWithLuaMetacharactersQuotesNewlinesAndFourKilobytesOfUtf8() {
        String weird = AwkwardKey.luaMetacharactersQuotesNewlinesAndFourKilobytesOfUtf8();
        IdempotencyKey key = IdempotencyKey.of(weird, weird);
        IdempotencyKey twin = IdempotencyKey.of(AwkwardKey.escapedTwin(weird), weird);
        String owner = newOwner();
        byte[] fingerprint = weird.getBytes(UTF_8);

        assertThat(store.claim(key, fingerprint, owner, MINUTE, MINUTE)).isEmpty();
        assertThat(store.claim(twin, new byte[32], newOwner(), MINUTE, MINUTE)).as("a key differing in a brace")
                .isEmpty();
        assertThat(store.complete(key, owner, weird.getBytes(UTF_8), MINUTE)).isTrue();

        IdempotencyRecord found = store.claim(key, new byte[32], newOwner(), MINUTE, MINUTE).orElseThrow();
        assertThat(found.status()).isEqualTo(Status.COMPLETED);
        assertThat(found.owner()).isEqualTo(owner);
        assertThat(new String(found.fingerprint(), UTF_8)).isEqualTo(weird);
        assertThat(new String(found.response(), UTF_8)).isEqualTo(weird);
        assertThat(target().client().exists(redisKey(key))).as("the record under the exact key").isTrue();
    }

    @Test
    void shouldEndTheLeaseOnTheServersClock() {
        IdempotencyKey key = newKey();
        Duration lease = Duration.ofSeconds(30);
        long before = ServerTime.micros(target().client(), redisKey(key));
        assertThat(store.claim(key, new byte[32], newOwner(), lease, MINUTE)).isEmpty();
        long after = ServerTime.micros(target().client(), redisKey(key));

        long leaseEnd = Long.parseLong(target().client().hget(redisKey(key), "l"));

        assertThat(leaseEnd - lease.toNanos() / 1_000)
                .as("the claim's time, between two readings of the server's TIME in microseconds")
                .isBetween(before, after);
    }

    @Test
    void shouldKeepEachRecordForItsRetentionAsTheKeysTtl() throws InterruptedException {
        IdempotencyKey key = newKey();
        String owner = newOwner();
        store.claim(key, new byte[32], owner, Duration.ofSeconds(10), MINUTE);
        assertThat(target().client().pttl(redisKey(key))).as("claimed for a minute").isBetween(1L, MINUTE.toMillis());

        store.complete(key, owner, new byte[] {1}, LONGEST_RETENTION);
        assertThat(target().client().pttl(redisKey(key))).as("completed for five minutes from now")
                .isBetween(MINUTE.toMillis() + 1, LONGEST_RETENTION.toMillis());

        IdempotencyKey taken = newKey();
        String dead = newOwner();
        Duration retention = Duration.ofSeconds(2);
        store.claim(taken, new byte[32], dead, Duration.ofMillis(50), retention);
        Thread.sleep(150);
        assertThat(store.takeOver(taken, dead, newOwner(), MINUTE)).isTrue();
        assertThat(target().client().pttl(redisKey(taken))).as("kept while the fresh lease runs, past the retention")
                .isBetween(retention.toMillis() + 1, MINUTE.toMillis());
    }

    @Test
    void shouldRejectABadPrefixOrClient() {
        assertThatThrownBy(() -> RedisIdempotencyStore.create(target().client(), "{a"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RedisIdempotencyStore.create(target().client(), null))
                .isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> RedisIdempotencyStore.create(null)).isInstanceOf(NullPointerException.class);
        assertThat(RedisIdempotencyStore.create(target().client())).isNotNull();
    }
}
