package io.raceguard.testing.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * One run of {@link HttpRace#fire(List)}: the threads, latches and sockets of a single volley. Used once.
 *
 * <p>The calling thread coordinates and enforces every deadline, closing all sockets when one passes.
 * One worker thread per request connects, writes the request's prefix and, once every final byte is
 * out, reads the response. One releaser thread writes the final bytes back to back.
 *
 * <p>Why one releaser and late readers: on loopback every final byte wakes a server thread, and each
 * wake-up competes with the sender for the CPU. One thread writing the final bytes back to back releases
 * them tighter than threads parked behind one gate, and readers kept off their sockets until the last
 * byte is out tighten it further. A response that arrives during the release waits in the socket
 * buffer, so {@link RaceResponse#timeToFirstByte()} cannot be shorter than the rest of the release.
 *
 * <p>The floor is the kernel's cost of one write to a loopback connection. Writing through
 * {@code SocketChannel}s with direct buffers, from the calling thread, or from a spinning releaser
 * released no tighter; two releasers on half the connections each released wider. BENCHMARKS.md
 * (release skew) has the figures.
 */
final class LastByteSyncRun {

    private static final Duration JOIN_TIMEOUT = Duration.ofSeconds(10);

    private final Endpoint endpoint;
    private final Duration connectTimeout;
    private final Duration readTimeout;
    private final List<WireRequest> requests;
    private final int size;

    private final SocketRegistry sockets = new SocketRegistry();
    private final CountDownLatch connected;
    private final CountDownLatch sendGate = new CountDownLatch(1);
    private final CountDownLatch primed;
    private final CountDownLatch releaseGate = new CountDownLatch(1);
    private final CountDownLatch released;
    private final CountDownLatch done;
    private volatile boolean aborted;

    private final OutputStream[] outputs;
    private final byte[][] finalBytes;
    private final long[] releasedAt;
    private final long[] firstByteAt;
    private final long[] completedAt;
    private final AtomicReferenceArray<ParsedResponse> responses;
    private final AtomicReferenceArray<HttpRaceException> failures;

    LastByteSyncRun(Endpoint endpoint, Duration connectTimeout, Duration readTimeout, List<WireRequest> requests) {
        this.endpoint = endpoint;
        this.connectTimeout = connectTimeout;
        this.readTimeout = readTimeout;
        this.requests = List.copyOf(requests);
        this.size = requests.size();
        this.connected = new CountDownLatch(size);
        this.primed = new CountDownLatch(size);
        this.released = new CountDownLatch(1);
        this.done = new CountDownLatch(size);
        this.outputs = new OutputStream[size];
        this.finalBytes = requests.stream().map(request -> new byte[] {request.finalByte()}).toArray(byte[][]::new);
        this.releasedAt = new long[size];
        this.firstByteAt = new long[size];
        this.completedAt = new long[size];
        this.responses = new AtomicReferenceArray<>(size);
        this.failures = new AtomicReferenceArray<>(size);
    }

    RaceVolley run(String arrivalHeader, TimeUnit arrivalUnit) {
        List<Thread> threads = new ArrayList<>(size + 1);
        boolean completed = false;
        try {
            for (WireRequest request : requests) {
                threads.add(start("raceguard-http-race-" + request.index(), () -> exchange(request)));
            }
            threads.add(start("raceguard-http-race-release", this::releaseAll));
            await(connected, deadline(connectTimeout.multipliedBy(2)), "connecting");
            sendGate.countDown();
            await(primed, deadline(readTimeout), "writing the requests");
            releaseGate.countDown();
            long responsesDue = deadline(readTimeout);
            await(released, responsesDue, "releasing the final bytes");
            await(done, responsesDue, "reading the responses");
            RaceVolley volley = assemble(arrivalHeader, arrivalUnit);
            completed = true;
            return volley;
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new HttpRaceException("interrupted while racing " + size + " requests at " + endpoint, interrupted);
        } finally {
            aborted = !completed;
            sendGate.countDown();
            releaseGate.countDown();
            sockets.closeAll(!completed);
            join(threads);
        }
    }

    private void exchange(WireRequest request) {
        int index = request.index();
        String stage = "connecting to " + endpoint;
        boolean connectedCounted = false;
        boolean primedCounted = false;
        try {
            Socket socket = endpoint.connect(connectTimeout, sockets);
            socket.setSoTimeout(backstopMillis());
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            connected.countDown();
            connectedCounted = true;
            sendGate.await();
            if (aborted) {
                return;
            }
            stage = "writing the request";
            out.write(request.prefix());
            out.flush();
            outputs[index] = out;
            primed.countDown();
            primedCounted = true;
            if (!released.await(backstopMillis(), TimeUnit.MILLISECONDS)) {
                throw new IOException("the final bytes were not released within " + backstopMillis() + " ms");
            }
            if (aborted) {
                return;
            }
            stage = "reading the response";
            HttpInput input = new HttpInput(in);
            ParsedResponse response = new ResponseParser(input).read(request.expectsBody());
            completedAt[index] = System.nanoTime();
            firstByteAt[index] = input.firstByteAtNanos();
            responses.set(index, response);
        } catch (IOException | RuntimeException | InterruptedException failure) {
            if (!aborted) {
                failures.compareAndSet(index, null, new HttpRaceException(request.label() + " failed while "
                        + stage + ": " + failure, failure));
            }
        } finally {
            if (!connectedCounted) {
                connected.countDown();
            }
            if (!primedCounted) {
                primed.countDown();
            }
            done.countDown();
        }
    }

    /**
     * Writes the final bytes back to back, so that they leave as close together as one thread can send
     * them. The loop allocates nothing ({@code write(int)} would allocate an array per call), so no
     * allocation can stop it for a garbage collection halfway.
     */
    private void releaseAll() {
        try {
            releaseGate.await();
            if (aborted) {
                return;
            }
            for (int index = 0; index < size; index++) {
                try {
                    outputs[index].write(finalBytes[index], 0, 1);
                    releasedAt[index] = System.nanoTime();
                } catch (IOException failure) {
                    failures.compareAndSet(index, null, new HttpRaceException(requests.get(index).label()
                            + " failed while releasing its final byte: " + failure, failure));
                    return;
                }
            }
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
        } finally {
            released.countDown();
        }
    }

    private static long deadline(Duration timeout) {
        return System.nanoTime() + timeout.toNanos();
    }

    private void await(CountDownLatch latch, long deadline, String stage) throws InterruptedException {
        boolean reached = latch.await(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
        throwFirstFailure();
        if (!reached) {
            String pending = IntStream.range(0, size)
                    .filter(index -> responses.get(index) == null)
                    .mapToObj(Integer::toString)
                    .collect(Collectors.joining(", "));
            throw new HttpRaceException("racing " + size + " requests at " + endpoint + " timed out while "
                    + stage + " (connect timeout " + connectTimeout.toMillis() + " ms, read timeout "
                    + readTimeout.toMillis() + " ms)" + "; requests still unanswered: " + pending, null);
        }
    }

    /** Rethrows the first failure by request index, from the calling thread so its stack trace leads to the test. */
    private void throwFirstFailure() {
        HttpRaceException first = null;
        int others = 0;
        for (int index = 0; index < size; index++) {
            HttpRaceException failure = failures.get(index);
            if (failure != null && first == null) {
                first = failure;
            } else if (failure != null) {
                others++;
            }
        }
        if (first != null) {
            String more = others == 0 ? "" : " (and " + others + " more requests failed)";
            throw new HttpRaceException(first.getMessage() + more, first.getCause());
        }
    }

    private RaceVolley assemble(String arrivalHeader, TimeUnit arrivalUnit) {
        List<RaceResponse> assembled = new ArrayList<>(size);
        long firstRelease = Long.MAX_VALUE;
        long lastRelease = Long.MIN_VALUE;
        for (int index = 0; index < size; index++) {
            ParsedResponse response = responses.get(index);
            assembled.add(new RaceResponse(response.status(), response.reason(), response.headers(),
                    response.trailers(), response.body(), releasedAt[index], firstByteAt[index], completedAt[index]));
            firstRelease = Math.min(firstRelease, releasedAt[index]);
            lastRelease = Math.max(lastRelease, releasedAt[index]);
        }
        return new RaceVolley(assembled, Duration.ofNanos(lastRelease - firstRelease),
                ArrivalSpread.of(assembled, arrivalHeader, arrivalUnit));
    }

    private int backstopMillis() {
        long millis = connectTimeout.plus(readTimeout).multipliedBy(3).toMillis();
        return (int) Math.min(Integer.MAX_VALUE, millis);
    }

    private static Thread start(String name, Runnable task) {
        Thread thread = new Thread(task, name);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    private static void join(List<Thread> threads) {
        long deadline = System.nanoTime() + JOIN_TIMEOUT.toNanos();
        boolean interrupted = false;
        for (Thread thread : threads) {
            long remaining = deadline - System.nanoTime();
            while (thread.isAlive() && remaining > 0) {
                try {
                    thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(remaining)));
                } catch (InterruptedException again) {
                    interrupted = true;
                }
                remaining = deadline - System.nanoTime();
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
