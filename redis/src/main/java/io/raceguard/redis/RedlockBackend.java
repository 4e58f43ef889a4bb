package io.raceguard.redis;

import static java.util.concurrent.TimeUnit.NANOSECONDS;

import io.raceguard.BackendException;
import io.raceguard.Ticker;
import io.raceguard.lock.spi.LockBackend;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.UnifiedJedis;

/**
 * The store side of {@link Redlock}: each operation runs the single-node scripts of
 * {@link RedisLockBackend} on every master at once and counts the answers. See {@link Redlock} for
 * the algorithm and its failure model.
 *
 * <p>Thread-safe. The calls to the masters run on a pool of daemon threads that grows with
 * concurrent use, lets idle threads go after a few seconds, and is shut down by {@link #close()}.
 */
final class RedlockBackend implements LockBackend {

    private static final Logger log = LoggerFactory.getLogger(RedlockBackend.class);
    private static final long DRIFT_ALLOWANCE_NANOS = TimeUnit.MILLISECONDS.toNanos(2);
    private static final Duration RELEASE_WAIT = Duration.ofSeconds(5);
    private static final long CLOSE_TIMEOUT_SECONDS = 5;

    private final List<RedisLockBackend> masters;
    private final int quorum;
    private final double clockDriftFactor;
    private final Ticker ticker;
    private final ExecutorService calls;

    RedlockBackend(List<? extends UnifiedJedis> clients, String keyPrefix, double clockDriftFactor, Ticker ticker) {
        List<RedisLockBackend> nodes = new ArrayList<>(clients.size());
        for (UnifiedJedis client : clients) {
            nodes.add(new RedisLockBackend(client, keyPrefix, false));
        }
        this.masters = List.copyOf(nodes);
        this.quorum = masters.size() / 2 + 1;
        this.clockDriftFactor = clockDriftFactor;
        this.ticker = ticker;
        AtomicInteger threadNumber = new AtomicInteger();
        this.calls = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 5, TimeUnit.SECONDS, new SynchronousQueue<>(),
                task -> {
            Thread thread = new Thread(task, "raceguard-redlock-" + threadNumber.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    @Override
    public OptionalLong tryAcquire(String key, String owner, Duration ttl) {
        long start = ticker.read();
        List<Answer<OptionalLong>> answers = onEveryMaster(master -> master.tryAcquire(key, owner, ttl), ttl);
        long validityNanos = ttl.toNanos() - (ticker.read() - start) - drift(ttl);
        int granted = 0;
        long token = Long.MIN_VALUE;
        for (Answer<OptionalLong> answer : answers) {
            if (answer.value() != null && answer.value().isPresent()) {
                granted++;
                token = Math.max(token, answer.value().getAsLong());
            }
        }
        if (granted >= quorum && validityNanos > 0) {
            return OptionalLong.of(token);
        }
        // Undo partial grants, including on masters that may have applied the script but not answered.
        for (RedisLockBackend master : masters) {
            submit(() -> releaseQuietly(master, key, owner));
        }
        requireQuorumAnswered(answers, "acquire");
        return OptionalLong.empty();
    }

    @Override
    public boolean extend(String key, String owner, Duration ttl) {
        long start = ticker.read();
        List<Answer<Boolean>> answers = onEveryMaster(master -> master.extend(key, owner, ttl), ttl);
        long validityNanos = ttl.toNanos() - (ticker.read() - start) - drift(ttl);
        if (countTrue(answers) >= quorum && validityNanos > 0) {
            return true;
        }
        requireQuorumAnswered(answers, "extend");
        return false;
    }

    @Override
    public boolean release(String key, String owner) {
        List<Answer<Boolean>> answers = onEveryMaster(master -> master.release(key, owner), RELEASE_WAIT);
        if (countTrue(answers) >= quorum) {
            return true;
        }
        requireQuorumAnswered(answers, "release");
        return false;
    }

    private long drift(Duration ttl) {
        return (long) (ttl.toNanos() * clockDriftFactor) + DRIFT_ALLOWANCE_NANOS;
    }

    private <T> List<Answer<T>> onEveryMaster(Function<RedisLockBackend, T> call, Duration limit) {
        List<Future<T>> pending = new ArrayList<>(masters.size());
        for (RedisLockBackend master : masters) {
            pending.add(submit(() -> call.apply(master)));
        }
        long deadline = ticker.read() + limit.toNanos();
        List<Answer<T>> answers = new ArrayList<>(pending.size());
        for (Future<T> future : pending) {
            answers.add(await(future, deadline));
        }
        return answers;
    }

    private <T> Future<T> submit(Callable<T> task) {
        try {
            return calls.submit(task);
        } catch (RejectedExecutionException e) {
            throw new IllegalStateException("the Redlock lock manager is closed", e);
        }
    }

    private <T> Answer<T> await(Future<T> future, long deadline) {
        try {
            return new Answer<>(future.get(Math.max(0, deadline - ticker.read()), NANOSECONDS), null);
        } catch (ExecutionException e) {
            return new Answer<>(null, e.getCause());
        } catch (TimeoutException e) {
            future.cancel(true);
            return new Answer<>(null, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            future.cancel(true);
            return new Answer<>(null, e);
        }
    }

    private void requireQuorumAnswered(List<? extends Answer<?>> answers, String operation) {
        int answered = 0;
        Throwable firstFault = null;
        for (Answer<?> answer : answers) {
            if (answer.fault() == null) {
                answered++;
            } else if (firstFault == null) {
                firstFault = answer.fault();
            }
        }
        if (answered < quorum) {
            throw new BackendException("Redlock " + operation + ": only " + answered + " of " + masters.size()
                    + " Redis masters answered, a majority of " + quorum + " is needed", firstFault);
        }
    }

    private static int countTrue(List<Answer<Boolean>> answers) {
        int count = 0;
        for (Answer<Boolean> answer : answers) {
            if (Boolean.TRUE.equals(answer.value())) {
                count++;
            }
        }
        return count;
    }

    private static boolean releaseQuietly(RedisLockBackend master, String key, String owner) {
        try {
            return master.release(key, owner);
        } catch (RuntimeException e) {
            log.debug("undoing a partial Redlock grant failed on one master; it expires at its ttl", e);
            return false;
        }
    }

    @Override
    public void close() {
        calls.shutdown();
        try {
            if (!calls.awaitTermination(CLOSE_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                calls.shutdownNow();
            }
        } catch (InterruptedException e) {
            calls.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return "RedlockBackend[masters=" + masters.size() + ", quorum=" + quorum + "]";
    }

    /** One master's answer: a value, or the fault that kept it from answering. */
    private record Answer<T>(T value, Throwable fault) {}
}
