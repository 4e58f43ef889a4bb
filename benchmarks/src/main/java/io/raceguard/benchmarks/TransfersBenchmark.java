package io.raceguard.benchmarks;

import com.zaxxer.hikari.HikariDataSource;
import io.raceguard.jdbc.SqlFailure;
import io.raceguard.jdbc.Transactions;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.HandleCallback;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.transaction.SerializableTransactionRunner;
import org.jdbi.v3.core.transaction.TransactionIsolationLevel;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Contended money transfers on PostgreSQL: 8 threads move 1 unit between random pairs of 4 accounts,
 * each transfer a SERIALIZABLE read-check-write transaction, retried whole on serialization
 * conflicts by {@link Transactions} (exponential backoff, full jitter) or by Jdbi's
 * {@link SerializableTransactionRunner} (at once, no backoff). Both get 5 attempts per call.
 *
 * <p>One operation is one <em>committed</em> transfer: a call that used up its attempts is counted
 * ({@code exhausted}) and made again, so the score is committed transfers per second. {@code
 * retries} counts every attempt after the first of a call; divided by the score it gives retries per
 * commit. The two updates of a transfer touch the accounts in id order, so conflicts are
 * serialization failures, never deadlocks (which Jdbi's runner would not retry).
 *
 * <p>The trial's teardown checks that the total across accounts is what it was and that no balance is
 * negative, and fails the run if money was lost or made.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Threads(TransfersBenchmark.THREADS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class TransfersBenchmark {

    static final int THREADS = 8;
    private static final int ACCOUNTS = 4;
    private static final int ATTEMPTS = 5;
    private static final long OPENING_BALANCE = 1_000_000;
    private static final long AMOUNT = 1;
    /** A transfer that cannot commit in this long means the suite is broken, not slow. */
    private static final long GIVE_UP_NANOS = TimeUnit.SECONDS.toNanos(30);

    @Param({"raceguard-transactions", "jdbi-serializable-runner"})
    public String impl;

    private HikariDataSource pool;
    private Jdbi jdbi;
    private Transactions transactions;
    private String table;

    @Setup
    public void setUp() {
        pool = BenchmarkServices.postgresPool("transfers", THREADS);
        jdbi = Jdbi.create(pool);
        table = BenchmarkServices.uniqueName("rg_bench_transfers");
        jdbi.useHandle(handle -> {
            handle.execute("CREATE TABLE " + table + " (id INT PRIMARY KEY, balance BIGINT NOT NULL)");
            for (int id = 0; id < ACCOUNTS; id++) {
                handle.execute("INSERT INTO " + table + " (id, balance) VALUES (?, ?)", id, OPENING_BALANCE);
            }
        });
        transactions = Transactions.builder(jdbi).maxAttempts(ATTEMPTS).build();
        if (impl.equals("jdbi-serializable-runner")) {
            jdbi.setTransactionHandler(new SerializableTransactionRunner());
            jdbi.getConfig(SerializableTransactionRunner.Configuration.class).setMaxRetries(ATTEMPTS - 1);
        }
    }

    @TearDown
    public void tearDown() {
        try {
            jdbi.useHandle(handle -> {
                long total = handle.select("SELECT COALESCE(SUM(balance), 0) FROM " + table).mapTo(Long.class).one();
                long lowest = handle.select("SELECT MIN(balance) FROM " + table).mapTo(Long.class).one();
                handle.execute("DROP TABLE IF EXISTS " + table);
                if (total != ACCOUNTS * OPENING_BALANCE || lowest < 0) {
                    throw new IllegalStateException("MONEY NOT CONSERVED with " + impl + ": total " + total
                            + ", expected " + ACCOUNTS * OPENING_BALANCE + "; lowest balance " + lowest);
                }
                System.out.println("conserved with " + impl + ": total " + total + " across " + ACCOUNTS
                        + " accounts, lowest balance " + lowest);
            });
        } finally {
            pool.close();
        }
    }

    /** Per-thread tallies, reported per second beside the score. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Tally {
        /** Attempts after the first, over all calls. */
        public long retries;
        /** Calls that used up their attempts and were made again. */
        public long exhausted;
        private int attempts;

        @Setup(Level.Iteration)
        public void reset() {
            retries = 0;
            exhausted = 0;
        }
    }

    @Benchmark
    public boolean transfer(Tally tally) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        int from = random.nextInt(ACCOUNTS);
        int to = (from + 1 + random.nextInt(ACCOUNTS - 1)) % ACCOUNTS;
        HandleCallback<Boolean, RuntimeException> work = handle -> {
            tally.attempts++;
            return move(handle, from, to);
        };
        long started = System.nanoTime();
        while (true) {
            tally.attempts = 0;
            try {
                boolean moved = impl.equals("raceguard-transactions")
                        ? transactions.inTransaction(work)
                        : jdbi.inTransaction(TransactionIsolationLevel.SERIALIZABLE, work);
                tally.retries += tally.attempts - 1;
                return moved;
            } catch (RuntimeException failure) {
                tally.retries += tally.attempts - 1;
                if (!(SqlFailure.classify(failure) instanceof SqlFailure.SerializationConflict)
                        || System.nanoTime() - started > GIVE_UP_NANOS) {
                    throw failure;
                }
                tally.exhausted++;
            }
        }
    }

    private boolean move(Handle handle, int from, int to) {
        long balance = handle.select("SELECT balance FROM " + table + " WHERE id = ?", from).mapTo(Long.class).one();
        if (balance < AMOUNT) {
            return false;
        }
        // in id order, so that two transfers between the same accounts never deadlock
        int first = Math.min(from, to);
        int second = Math.max(from, to);
        handle.execute("UPDATE " + table + " SET balance = balance + ? WHERE id = ?", first == from ? -AMOUNT : AMOUNT,
                first);
        handle.execute("UPDATE " + table + " SET balance = balance + ? WHERE id = ?", second == from ? -AMOUNT : AMOUNT,
                second);
        return true;
    }
}
