package io.raceguard.testing;

/** Which threads the in-process hammer runs its workers on. */
enum ThreadChoice {
    /** Virtual threads when the running JVM has them (Java 21+), platform threads otherwise. */
    AUTOMATIC,
    /** Virtual threads; refused on a JVM without them. */
    VIRTUAL,
    /** Platform threads, one per call. */
    PLATFORM
}
