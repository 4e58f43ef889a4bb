package io.raceguard.jdbc;

import static io.raceguard.internal.SetOnce.requireUnset;
import static java.util.Objects.requireNonNull;

import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import io.raceguard.Ticker;
import io.raceguard.event.RaceguardListener;
import io.raceguard.internal.Backoff;
import io.raceguard.internal.Events;
import io.raceguard.internal.Inputs;
import java.time.Duration;
import org.jdbi.v3.core.HandleCallback;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.transaction.TransactionIsolationLevel;

/**
 * Runs work in a database transaction and, when the database refuses the transaction because of a
 * concurrent one, runs the whole transaction again.
 *
 * <pre>{@code
 * Transactions transactions = Transactions.builder(jdbi).build();   // SERIALIZABLE, 5 attempts, 10 s
 * boolean moved = transactions.inTransaction(handle -> {
 *     long balance = handle.select("SELECT balance FROM accounts WHERE id = ?", from).mapTo(Long.class).one();
 *     if (balance < amount) {
 *         return false;
 *     }
 *     handle.execute("UPDATE accounts SET balance = balance - ? WHERE id = ?", amount, from);
 *     handle.execute("UPDATE accounts SET balance = balance + ? WHERE id = ?", amount, to);
 *     return true;
 * });
 * }</pre>
 *
 * <h2>Why the whole transaction</h2>
 *
 * A serialization failure or a deadlock means the database has rolled back (or will only roll back)
 * the transaction: every statement in it, including the reads its later writes were based on. Re-running
 * only the failed statement would repeat a write computed from a stale read, which is exactly the lost
 * update that SERIALIZABLE was chosen to prevent. So the unit of retry is the callback: each attempt
 * gets a fresh handle and a fresh transaction, and the callback reads everything again. For the same
 * reason only the outermost call may retry: a transaction nested in another cannot be re-run alone.
 *
 * <h2>Algorithm</h2>
 * <ol>
 *   <li>Refuse the call if this thread already runs inside a {@code Transactions} call
 *       ({@link IllegalStateException}), before any I/O.
 *   <li>Open a handle from the {@link Jdbi}, begin a transaction and set its isolation level (for
 *       {@link #readOnly} on PostgreSQL: {@code SERIALIZABLE READ ONLY DEFERRABLE}) with
 *       {@code SET TRANSACTION} as its first statement, which binds this transaction only; on H2,
 *       where that statement binds the session, the session's level is set and put back afterwards.
 *   <li>Run the callback, then commit.
 *   <li>On any failure, roll the transaction back completely and put the connection's settings back.
 *       A failure during commit is classified exactly like one before it: PostgreSQL commonly
 *       reports serialization failures at COMMIT.
 *   <li>If the failure is {@linkplain SqlFailure retryable} (a serialization conflict or a deadlock;
 *       a lock timeout only if {@link Builder#retryLockTimeouts()}), hand it to the {@link Retry}: it
 *       waits (exponential backoff with jitter) and the call goes back to step 2, or, when the
 *       attempts or the time budget are used up, the failure is thrown.
 *   <li>Any other failure is thrown at once.
 * </ol>
 *
 * <h2>Failure model</h2>
 * <ul>
 *   <li><b>Atomicity</b>: each attempt is one database transaction; its effects are all committed or
 *       all rolled back. The callback may run several times, so it must have no effects outside the
 *       transaction (no messages sent, no HTTP calls, no shared in-memory state changed) or those
 *       effects must be idempotent.
 *   <li><b>Exhausted retries</b>: the failure of the last attempt is rethrown as it was raised, not
 *       wrapped: usually Jdbi's {@code UnableToExecuteStatementException} (a statement failed) or
 *       {@code TransactionException} (the commit failed), with the vendor's {@link java.sql.SQLException}
 *       as its cause; {@link SqlFailure#classify(Throwable)} tells which kind it was.
 *   <li><b>Unknown commit</b>: if the connection fails while committing (an SQLSTATE of class 08, or
 *       the connection closed), the database may have committed. That is never retried; it is
 *       thrown as {@link CommitOutcomeUnknownException}, with the driver's failure as the cause.
 *   <li><b>Connection lost before commit</b>: the transaction cannot have committed; nothing of the
 *       attempt is applied, and the failure is thrown as it was raised, not retried: usually Jdbi's
 *       {@code UnableToExecuteStatementException} with the driver's {@link java.sql.SQLException}
 *       as its cause, of SQLSTATE class 08 (57P01 when a PostgreSQL backend was terminated).
 *   <li><b>Interrupts</b>: an interrupt during a backoff wait ends the retries; the last failure is
 *       thrown with the thread's interrupt flag set.
 * </ul>
 *
 * <h2>Observing retries</h2>
 * {@link #retry()} returns the resilience4j {@link Retry} in use. Through its
 * {@link Retry#getEventPublisher() event publisher} a retried failure shows as a
 * {@code RetryOnRetryEvent}, retries used up (attempts or time) as a {@code RetryOnErrorEvent}, and
 * success after at least one retry as a {@code RetryOnSuccessEvent}; its {@link Retry#getMetrics()
 * metrics} count calls with and without retries. Failures that are never retried (including unknown
 * commits) are thrown without reaching the {@code Retry}.
 *
 * <p>Instances are immutable and thread-safe: share one per {@link Jdbi} across threads.
 */
public final class Transactions {

    /** The name of the {@link Retry} built from the builder's options. */
    public static final String RETRY_NAME = "raceguard-transactions";

    private final Jdbi jdbi;
    private final TransactionIsolationLevel isolation;
    private final Retry retry;
    private final LostRace retryable;
    private final Ticker ticker;
    private final Events events;

    private Transactions(Jdbi jdbi, TransactionIsolationLevel isolation, Retry retry, LostRace retryable,
            Ticker ticker, Events events) {
        this.jdbi = jdbi;
        this.isolation = isolation;
        this.retry = retry;
        this.retryable = retryable;
        this.ticker = ticker;
        this.events = events;
    }

    /**
     * @param jdbi where each attempt opens its handle; its connections must start in autocommit mode
     *     (the JDBC default)
     * @return a builder with the defaults: SERIALIZABLE, 5 attempts, 10 s, backoff from 10 ms up to
     *     1 s, lock timeouts not retried
     * @throws NullPointerException if {@code jdbi} is null
     */
    public static Builder builder(Jdbi jdbi) {
        return new Builder(requireNonNull(jdbi, "jdbi"));
    }

    /**
     * Runs {@code work} in a transaction at the configured isolation level, committing it and running
     * the whole of it again on a fresh transaction while the database refuses it for a retryable
     * reason (see the class documentation).
     *
     * @param work the transaction's body; may run several times, each time on a new handle that is
     *     only valid during that run; must not commit or roll back the handle itself
     * @param <T> the result type
     * @param <X> the checked exception {@code work} may throw
     * @return what the committed run of {@code work} returned
     * @throws X what {@code work} threw, unchanged (the transaction is rolled back, never retried
     *     unless the exception carries a retryable database failure)
     * @throws IllegalStateException if this thread already runs inside a {@code Transactions} call, if
     *     the Jdbi's connections are already in a transaction, or if {@code work} ended the
     *     transaction itself
     * @throws CommitOutcomeUnknownException if the connection failed during the commit
     * @throws NullPointerException if {@code work} is null
     * @throws RuntimeException the last attempt's failure (usually a Jdbi exception) when retries are
     *     used up, or a non-retryable database failure
     */
    public <T, X extends Exception> T inTransaction(HandleCallback<T, X> work) throws X {
        return run(requireNonNull(work, "work"), false);
    }

    /**
     * Like {@link #inTransaction(HandleCallback)}, for work that only reads. On PostgreSQL the
     * transaction is {@code SERIALIZABLE READ ONLY DEFERRABLE}: it waits at its start until it can
     * take a snapshot that no concurrent transaction can invalidate, after which it can neither fail
     * with a serialization conflict nor make others fail, and writes are refused. On MariaDB and H2
     * it runs at the configured isolation level with {@link java.sql.Connection#setReadOnly(boolean)}
     * as a hint to the driver, and is retried like any other transaction.
     *
     * @param work the transaction's body, which must only read
     * @param <T> the result type
     * @param <X> the checked exception {@code work} may throw
     * @return what {@code work} returned
     * @throws X what {@code work} threw, unchanged
     * @throws IllegalStateException on a nested call, as for {@link #inTransaction(HandleCallback)}
     * @throws NullPointerException if {@code work} is null
     * @throws RuntimeException a database failure, as for {@link #inTransaction(HandleCallback)}
     */
    public <T, X extends Exception> T readOnly(HandleCallback<T, X> work) throws X {
        return run(requireNonNull(work, "work"), true);
    }

    /**
     * @return the resilience4j {@link Retry} that decides whether to try again and how long to wait;
     *     subscribe to its event publisher to observe attempts and outcomes
     */
    public Retry retry() {
        return retry;
    }

    private <T, X extends Exception> T run(HandleCallback<T, X> work, boolean readOnly) throws X {
        try (OutermostCall call = OutermostCall.enter(ticker.read())) {
            Retry.Context<T> context = retry.context();
            while (true) {
                Exception failure;
                events.transactionAttempt();
                try {
                    T result = TransactionAttempt.run(jdbi, isolation, readOnly, work);
                    context.onComplete();
                    return result;
                } catch (Exception e) {
                    failure = e;
                }
                if (failure instanceof CommitOutcomeUnknownException) {
                    events.transactionOutcomeUnknown();
                }
                if (!retryable.test(failure)) {
                    throw Transactions.<X>rethrow(failure);
                }
                try {
                    context.onError(failure);
                } catch (Exception exhausted) {
                    events.transactionExhausted();
                    throw Transactions.<X>rethrow(exhausted);
                }
                events.transactionRetried(RetryCauses.of(failure));
            }
        }
    }

    /** Only the callback throws checked exceptions, and only of type {@code X}; everything else is unchecked. */
    @SuppressWarnings("unchecked")
    private static <X extends Exception> X rethrow(Exception failure) {
        if (failure instanceof RuntimeException unchecked) {
            throw unchecked;
        }
        return (X) failure;
    }

    /**
     * Options of a {@link Transactions}. Each option can be set once and is validated when set. Either
     * describe the retries with {@link #maxAttempts}, {@link #maxElapsed} and {@link #backoff}, or
     * bring a resilience4j {@link #retry(Retry) Retry} or {@link #retryConfig(RetryConfig) RetryConfig}
     * of your own, which then alone decides how many attempts to make and how long to wait; which
     * failures are retried is always decided by {@code Transactions}.
     *
     * <p>Not thread-safe: build on one thread, then share the built {@link Transactions}.
     */
    public static final class Builder {
        /** The most attempts {@link #maxAttempts(int)} accepts. */
        public static final int MAX_ATTEMPTS_LIMIT = 1000;
        private static final Backoff DEFAULT_BACKOFF = new Backoff(Duration.ofMillis(10), Duration.ofSeconds(1));

        private final Jdbi jdbi;
        private TransactionIsolationLevel isolation;
        private Integer maxAttempts;
        private Duration maxElapsed;
        private Backoff backoff;
        private boolean retryLockTimeouts;
        private Retry retry;
        private RetryConfig retryConfig;
        private Ticker ticker;
        private Events events;

        private Builder(Jdbi jdbi) {
            this.jdbi = jdbi;
        }

        /**
         * @param isolation the isolation level of every transaction; default
         *     {@link TransactionIsolationLevel#SERIALIZABLE}
         * @return this builder
         * @throws NullPointerException if {@code isolation} is null
         * @throws IllegalArgumentException if it is {@code NONE} or {@code UNKNOWN}
         * @throws IllegalStateException if already set
         */
        public Builder isolation(TransactionIsolationLevel isolation) {
            requireNonNull(isolation, "isolation");
            requireUnset(this.isolation, "isolation");
            if (isolation == TransactionIsolationLevel.NONE || isolation == TransactionIsolationLevel.UNKNOWN) {
                throw new IllegalArgumentException(
                        "isolation must be READ_UNCOMMITTED, READ_COMMITTED, REPEATABLE_READ or SERIALIZABLE, was "
                                + isolation);
            }
            this.isolation = isolation;
            return this;
        }

        /**
         * @param maxAttempts how many times a call may run its transaction, the first run included;
         *     default 5
         * @return this builder
         * @throws IllegalArgumentException if not in [1, {@value #MAX_ATTEMPTS_LIMIT}]
         * @throws IllegalStateException if already set, or a {@code Retry} or {@code RetryConfig} was given
         */
        public Builder maxAttempts(int maxAttempts) {
            requireUnset(this.maxAttempts, "maxAttempts");
            requireOwnRetryPolicy("maxAttempts");
            if (maxAttempts < 1 || maxAttempts > MAX_ATTEMPTS_LIMIT) {
                throw new IllegalArgumentException(
                        "maxAttempts must be in [1, " + MAX_ATTEMPTS_LIMIT + "], was " + maxAttempts);
            }
            this.maxAttempts = maxAttempts;
            return this;
        }

        /**
         * @param maxElapsed the time budget of one call, from the start of its first attempt: no retry is
         *     begun whose backoff wait would end at or past it (an attempt already running is never cut
         *     short); default 10 s
         * @return this builder
         * @throws NullPointerException if {@code maxElapsed} is null
         * @throws IllegalArgumentException if not positive, under 1 ms or over {@link Inputs#MAX_DURATION}
         * @throws IllegalStateException if already set, or a {@code Retry} or {@code RetryConfig} was given
         */
        public Builder maxElapsed(Duration maxElapsed) {
            Inputs.requirePositive(maxElapsed, "maxElapsed");
            requireUnset(this.maxElapsed, "maxElapsed");
            requireOwnRetryPolicy("maxElapsed");
            this.maxElapsed = maxElapsed;
            return this;
        }

        /**
         * Exponential backoff with jitter: before retry {@code n} the call waits a random time
         * between {@code min} and {@code min(max, min * 2^n)}.
         *
         * @param min the shortest wait; default 10 ms
         * @param max the largest ceiling; default 1 s
         * @return this builder
         * @throws NullPointerException if an argument is null
         * @throws IllegalArgumentException if either is not positive or under 1 ms, or {@code max < min}
         * @throws IllegalStateException if already set, or a {@code Retry} or {@code RetryConfig} was given
         */
        public Builder backoff(Duration min, Duration max) {
            Backoff chosen = new Backoff(min, max);
            requireUnset(this.backoff, "backoff");
            requireOwnRetryPolicy("backoff");
            this.backoff = chosen;
            return this;
        }

        /**
         * Also retries transactions that failed because a statement waited for a lock longer than the
         * database's lock timeout. Off by default: a lock timeout usually means a long-held lock, which
         * retrying adds load to. On MariaDB and H2 this includes {@code NOWAIT} refusals, which those
         * databases report as lock timeouts.
         *
         * @return this builder
         * @throws IllegalStateException if already set
         */
        public Builder retryLockTimeouts() {
            requireUnset(retryLockTimeouts ? Boolean.TRUE : null, "retryLockTimeouts");
            this.retryLockTimeouts = true;
            return this;
        }

        /**
         * Uses your own {@link Retry} for the number of attempts and the waits, for instance one taken
         * from a {@code RetryRegistry}. Its exception predicate is only consulted for failures that
         * {@code Transactions} considers retryable.
         *
         * @param retry the retry to use
         * @return this builder
         * @throws NullPointerException if {@code retry} is null
         * @throws IllegalStateException if a {@code Retry}, {@code RetryConfig}, {@code maxAttempts},
         *     {@code maxElapsed} or {@code backoff} was already given
         */
        public Builder retry(Retry retry) {
            requireNonNull(retry, "retry");
            requireNoRetryPolicyYet("retry");
            this.retry = retry;
            return this;
        }

        /**
         * Uses a {@link Retry} built from your {@link RetryConfig}, named {@value #RETRY_NAME}, for the
         * number of attempts and the waits. Its exception predicate is only consulted for failures that
         * {@code Transactions} considers retryable.
         *
         * @param retryConfig the configuration to build the retry from
         * @return this builder
         * @throws NullPointerException if {@code retryConfig} is null
         * @throws IllegalStateException if a {@code Retry}, {@code RetryConfig}, {@code maxAttempts},
         *     {@code maxElapsed} or {@code backoff} was already given
         */
        public Builder retryConfig(RetryConfig retryConfig) {
            requireNonNull(retryConfig, "retryConfig");
            requireNoRetryPolicyYet("retryConfig");
            this.retryConfig = retryConfig;
            return this;
        }

        /**
         * @param ticker the time source of the {@link #maxElapsed} budget; default {@link Ticker#system()}
         * @return this builder
         * @throws NullPointerException if {@code ticker} is null
         * @throws IllegalStateException if already set
         */
        public Builder ticker(Ticker ticker) {
            requireNonNull(ticker, "ticker");
            requireUnset(this.ticker, "ticker");
            this.ticker = ticker;
            return this;
        }

        /**
         * Reports each attempt, each retry with its cause, retries running out, and commits of unknown
         * outcome to {@code listener}, as {@code name}; by default nothing is reported. A failure the
         * {@code Retry} declines to retry counts as retries running out. See {@link io.raceguard.event}.
         *
         * @param name the name these transactions are reported as, e.g. {@code "orders"}
         * @param listener where to report
         * @return this builder
         * @throws NullPointerException if an argument is null
         * @throws IllegalArgumentException if {@code name} is not a valid {@link io.raceguard.event.EventSource} name
         * @throws IllegalStateException if already set
         */
        public Builder events(String name, RaceguardListener listener) {
            requireUnset(this.events, "events");
            this.events = Events.of(name, Transactions.class, listener);
            return this;
        }

        /** @return a new, thread-safe {@link Transactions} with these options */
        public Transactions build() {
            Ticker time = ticker != null ? ticker : Ticker.system();
            LostRace retryable = LostRace.ofTransaction(retryLockTimeouts);
            Retry chosen = retry;
            if (chosen == null && retryConfig != null) {
                chosen = Retry.of(RETRY_NAME, retryConfig);
            }
            if (chosen == null) {
                chosen = Retry.of(RETRY_NAME, RetryConfig.custom()
                        .maxAttempts(maxAttempts != null ? maxAttempts : 5)
                        .intervalBiFunction(new BudgetedBackoff(
                                backoff != null ? backoff : DEFAULT_BACKOFF,
                                maxElapsed != null ? maxElapsed : Duration.ofSeconds(10),
                                time))
                        .retryOnException(retryable)
                        .build());
            }
            return new Transactions(jdbi, isolation != null ? isolation : TransactionIsolationLevel.SERIALIZABLE,
                    chosen, retryable, time, events != null ? events : Events.none());
        }

        private void requireOwnRetryPolicy(String option) {
            if (retry != null || retryConfig != null) {
                throw new IllegalStateException(
                        option + " cannot be combined with a Retry or RetryConfig of your own, which decides it");
            }
        }

        private void requireNoRetryPolicyYet(String option) {
            if (retry != null || retryConfig != null) {
                throw new IllegalStateException("a Retry or RetryConfig is already set");
            }
            if (maxAttempts != null || maxElapsed != null || backoff != null) {
                throw new IllegalStateException(option
                        + " cannot be combined with maxAttempts, maxElapsed or backoff, which it replaces");
            }
        }
    }
}
