/**
 * Contract kits for backend authors: abstract JUnit Jupiter test classes that a backend's test extends
 * to prove it keeps the primitive's contract, sequential and concurrent cases alike, with generated bad
 * input. Every backend Raceguard ships extends them; a backend of your own should too.
 *
 * <p>The kits drive the backends through the hammer's public API ({@code io.raceguard.testing}) and
 * use JUnit assertions only.
 */
package io.raceguard.testing.contract;
