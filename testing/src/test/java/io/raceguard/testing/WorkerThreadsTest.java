package io.raceguard.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import java.util.concurrent.ThreadFactory;
import org.junit.jupiter.api.Test;

/**
 * Virtual threads on Java 21 and later, platform threads before: the decision on its own, then on the
 * JVM running the test. The build runs this class on Java 17 and, when {@code RACEGUARD_JAVA21_HOME}
 * names a JDK 21 or newer, again on it (the {@code java21-plus} profile), so both branches are
 * exercised for real.
 */
final class WorkerThreadsTest {

    private static final int RUNNING_RELEASE = Runtime.version().feature();
    private static final ThreadFactory SOME_FACTORY = Thread::new;

    @Test
    void shouldChooseVirtualThreadsAutomaticallyOnlyWhenTheJvmHasThem() {
        assertThat(WorkerThreads.choose(ThreadChoice.AUTOMATIC, Optional.of(SOME_FACTORY), 21).virtual()).isTrue();
        assertThat(WorkerThreads.choose(ThreadChoice.AUTOMATIC, Optional.empty(), 17).virtual()).isFalse();
        assertThat(WorkerThreads.choose(ThreadChoice.PLATFORM, Optional.of(SOME_FACTORY), 25).virtual()).isFalse();
        assertThat(WorkerThreads.choose(ThreadChoice.VIRTUAL, Optional.of(SOME_FACTORY), 25).virtual()).isTrue();
    }

    @Test
    void shouldRefuseVirtualThreadsOnAJvmWithoutThem() {
        assertThatThrownBy(() -> WorkerThreads.choose(ThreadChoice.VIRTUAL, Optional.empty(), 17))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("virtual threads need Java 21 or later; this is Java 17");
    }

    @Test
    void shouldFindNoVirtualThreadsBeforeJava21EvenWhereThePreviewExists() {
        assertThat(WorkerThreads.virtualThreadFactory(17)).isEmpty();
        assertThat(WorkerThreads.virtualThreadFactory(20)).as("a preview on 19 and 20").isEmpty();
    }

    @Test
    void shouldFindVirtualThreadsOnThisJvmExactlyFromJava21() {
        assertThat(WorkerThreads.virtualThreadFactory(RUNNING_RELEASE)).as("Java " + RUNNING_RELEASE)
                .matches(factory -> factory.isPresent() == (RUNNING_RELEASE >= 21));
    }

    @Test
    void shouldRunTheHammersWorkersOnTheThreadsThisJvmOffers() {
        boolean virtualExpected = RUNNING_RELEASE >= 21;

        HammerReport<Boolean> report = Hammer.create().times(4).rounds(2)
                .fire(() -> isVirtual(Thread.currentThread()))
                .expect(Invariant.exactly(4, "virtual", virtual -> virtual == virtualExpected));

        assertThat(report.toString()).contains("4 calls on " + (virtualExpected ? "virtual" : "platform") + " threads");
        if (virtualExpected) {
            assertThat(Hammer.create().onVirtualThreads().times(2).rounds(1)
                    .fire(() -> isVirtual(Thread.currentThread()))
                    .check().rounds().get(0).round().values()).containsExactly(true, true);
        } else {
            assertThatThrownBy(() -> Hammer.create().onVirtualThreads()).isInstanceOf(IllegalStateException.class);
        }
    }

    @Test
    void shouldRunPlatformWorkersAsNamedDaemonsWhenAsked() {
        HammerReport<Thread> report = Hammer.create().onPlatformThreads().times(3).rounds(1)
                .fire(Thread::currentThread)
                .expect();

        assertThat(report.rounds().get(0).round().values()).allSatisfy(thread -> {
            assertThat(isVirtual(thread)).isFalse();
            assertThat(thread.isDaemon()).isTrue();
            assertThat(thread.getName()).startsWith("raceguard-hammer-");
        });
    }

    private static boolean isVirtual(Thread thread) {
        try {
            return (boolean) Thread.class.getMethod("isVirtual").invoke(thread);
        } catch (NoSuchMethodException e) {
            return false; // before Java 19 there are no virtual threads to ask about
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }
}
