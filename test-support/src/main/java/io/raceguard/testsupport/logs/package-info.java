/**
 * A capturing SLF4J provider, for tests that read back what the library logged. A module's surefire
 * execution selects it with {@code -Dslf4j.provider=io.raceguard.testsupport.logs.CapturingLogProvider};
 * it is registered nowhere else, so the usual provider stays in charge of every other test JVM.
 */
package io.raceguard.testsupport.logs;
