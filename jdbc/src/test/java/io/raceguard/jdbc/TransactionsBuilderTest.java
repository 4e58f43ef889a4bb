package io.raceguard.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import io.raceguard.Ticker;
import java.time.Duration;
import org.h2.jdbcx.JdbcDataSource;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.transaction.TransactionIsolationLevel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Option validation; no database is reached, the Jdbi below is never opened. */
final class TransactionsBuilderTest {

    private final Jdbi jdbi = Jdbi.create(new JdbcDataSource());

    @Test
    void shouldBuildTheDefaultRetry() {
        Retry retry = Transactions.builder(jdbi).build().retry();

        assertThat(retry.getName()).isEqualTo(Transactions.RETRY_NAME);
        assertThat(retry.getRetryConfig().getMaxAttempts()).isEqualTo(5);
    }

    @Test
    void shouldUseTheGivenRetryOrRetryConfig() {
        Retry own = Retry.of("transfers", RetryConfig.custom().maxAttempts(7).build());

        assertThat(Transactions.builder(jdbi).retry(own).build().retry()).isSameAs(own);
        assertThat(Transactions.builder(jdbi).retryConfig(RetryConfig.custom().maxAttempts(9).build()).build()
                .retry().getRetryConfig().getMaxAttempts()).isEqualTo(9);
    }

    @Test
    void shouldRejectNullsAtOnce() {
        assertThatThrownBy(() -> Transactions.builder(null)).isInstanceOf(NullPointerException.class);
        Transactions.Builder builder = Transactions.builder(jdbi);
        assertThatThrownBy(() -> builder.isolation(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> builder.maxElapsed(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> builder.backoff(null, Duration.ofSeconds(1))).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> builder.retry(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> builder.retryConfig(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> builder.ticker(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> builder.build().inTransaction(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> builder.build().readOnly(null)).isInstanceOf(NullPointerException.class);
    }

    @ParameterizedTest
    @EnumSource(value = TransactionIsolationLevel.class, names = {"NONE", "UNKNOWN"})
    void shouldRejectIsolationLevelsThatAreNotLevels(TransactionIsolationLevel level) {
        assertThatThrownBy(() -> Transactions.builder(jdbi).isolation(level))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("isolation");
    }

    @ParameterizedTest
    @ValueSource(ints = {0, -1, Transactions.Builder.MAX_ATTEMPTS_LIMIT + 1})
    void shouldRejectMaxAttemptsOutOfRange(int maxAttempts) {
        assertThatThrownBy(() -> Transactions.builder(jdbi).maxAttempts(maxAttempts))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("maxAttempts must be in [1, 1000]");
    }

    @Test
    void shouldRejectDurationsOutOfRange() {
        assertThatThrownBy(() -> Transactions.builder(jdbi).maxElapsed(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxElapsed");
        assertThatThrownBy(() -> Transactions.builder(jdbi).backoff(Duration.ofMillis(-1), Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("min");
        assertThatThrownBy(() -> Transactions.builder(jdbi).backoff(Duration.ofSeconds(2), Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("max must be >= min");
    }

    @Test
    void shouldLetEachOptionBeSetOnlyOnce() {
        assertThatThrownBy(() -> Transactions.builder(jdbi)
                .isolation(TransactionIsolationLevel.SERIALIZABLE).isolation(TransactionIsolationLevel.READ_COMMITTED))
                .isInstanceOf(IllegalStateException.class).hasMessage("isolation was already set to SERIALIZABLE");
        assertThatThrownBy(() -> Transactions.builder(jdbi).maxAttempts(2).maxAttempts(3))
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> Transactions.builder(jdbi).maxElapsed(Duration.ofSeconds(1))
                .maxElapsed(Duration.ofSeconds(2)))
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> Transactions.builder(jdbi)
                .backoff(Duration.ofMillis(1), Duration.ofMillis(2))
                        .backoff(Duration.ofMillis(1), Duration.ofMillis(2)))
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> Transactions.builder(jdbi).retryLockTimeouts().retryLockTimeouts())
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> Transactions.builder(jdbi).ticker(Ticker.system()).ticker(Ticker.system()))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void shouldNotMixAnOwnRetryWithTheOptionsItReplaces() {
        Retry own = Retry.ofDefaults("own");
        RetryConfig config = RetryConfig.ofDefaults();

        assertThatThrownBy(() -> Transactions.builder(jdbi).retry(own).maxAttempts(3))
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> Transactions.builder(jdbi).retryConfig(config).maxElapsed(Duration.ofSeconds(1)))
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> Transactions.builder(jdbi).backoff(Duration.ofMillis(1), Duration.ofMillis(1))
                .retry(own))
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> Transactions.builder(jdbi).retry(own).retryConfig(config))
                .isInstanceOf(IllegalStateException.class);
    }
}
