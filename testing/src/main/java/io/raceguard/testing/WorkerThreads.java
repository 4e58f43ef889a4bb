package io.raceguard.testing;

import java.util.Optional;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The threads a round's workers run on. The library is compiled for Java 17, where
 * {@code Thread.ofVirtual()} does not exist, so the virtual-thread factory is looked up reflectively
 * once, when this class loads; on Java 19 and 20 the method exists but throws unless preview features
 * are enabled, which is why the lookup also requires Java 21.
 *
 * <p>Immutable and thread-safe.
 */
final class WorkerThreads {

    /** The first Java release in which virtual threads are a final feature. */
    static final int FIRST_VIRTUAL_THREAD_RELEASE = 21;

    private static final String NAME_PREFIX = "raceguard-hammer-";
    private static final Optional<ThreadFactory> VIRTUAL_FACTORY = virtualThreadFactory(Runtime.version().feature());
    private static final AtomicLong PLATFORM_THREAD_NUMBERS = new AtomicLong();

    private final ThreadFactory factory;
    private final boolean virtual;

    private WorkerThreads(ThreadFactory factory, boolean virtual) {
        this.factory = factory;
        this.virtual = virtual;
    }

    /**
     * @param choice what the caller asked for
     * @return the worker threads for this JVM
     * @throws IllegalStateException if {@code choice} is {@code VIRTUAL} and this JVM has no virtual threads
     */
    static WorkerThreads choose(ThreadChoice choice) {
        return choose(choice, VIRTUAL_FACTORY, Runtime.version().feature());
    }

    /**
     * The decision itself, apart from the JVM it runs on.
     *
     * @param choice what the caller asked for
     * @param virtualFactory the virtual-thread factory, if the JVM has one
     * @param javaRelease the running Java release, for the message
     * @return the worker threads
     * @throws IllegalStateException if {@code choice} is {@code VIRTUAL} and there is no factory
     */
    static WorkerThreads choose(ThreadChoice choice, Optional<ThreadFactory> virtualFactory, int javaRelease) {
        return switch (choice) {
            case PLATFORM -> platform();
            case AUTOMATIC -> virtualFactory.map(WorkerThreads::virtual).orElseGet(WorkerThreads::platform);
            case VIRTUAL -> virtualFactory.map(WorkerThreads::virtual).orElseThrow(() -> new IllegalStateException(
                    "virtual threads need Java " + FIRST_VIRTUAL_THREAD_RELEASE + " or later; this is Java "
                            + javaRelease));
        };
    }

    /**
     * @param javaRelease the running Java release
     * @return a factory of virtual threads, or empty if this release has none (or they are a preview)
     */
    static Optional<ThreadFactory> virtualThreadFactory(int javaRelease) {
        if (javaRelease < FIRST_VIRTUAL_THREAD_RELEASE) {
            return Optional.empty();
        }
        try {
            Class<?> builderType = Class.forName("java.lang.Thread$Builder");
            Object builder = Thread.class.getMethod("ofVirtual").invoke(null);
            Object named = builderType.getMethod("name", String.class, long.class)
                    .invoke(builder, NAME_PREFIX + "v", 0L);
            return Optional.of((ThreadFactory) builderType.getMethod("factory").invoke(named));
        } catch (ReflectiveOperationException | ClassCastException e) {
            return Optional.empty();
        }
    }

    /** @return {@code true} if the workers are virtual threads */
    boolean virtual() {
        return virtual;
    }

    /**
     * @param work what the thread runs
     * @return a new, unstarted worker thread
     */
    Thread newThread(Runnable work) {
        return factory.newThread(work);
    }

    /** @return "virtual threads" or "platform threads" */
    String describe() {
        return virtual ? "virtual threads" : "platform threads";
    }

    private static WorkerThreads virtual(ThreadFactory factory) {
        return new WorkerThreads(factory, true);
    }

    private static WorkerThreads platform() {
        return new WorkerThreads(work -> {
            Thread thread = new Thread(work, NAME_PREFIX + PLATFORM_THREAD_NUMBERS.getAndIncrement());
            thread.setDaemon(true); // a call that never returns must not keep the test JVM alive
            return thread;
        }, false);
    }
}
