/**
 * For backend authors: {@link io.raceguard.lock.spi.LockBackend}, the three atomic store operations a
 * lock needs (acquire with a fencing token, owner-checked extend, owner-checked release). The lock
 * engine behind {@link io.raceguard.lock.LockManagerBuilder} does the rest. A backend proves itself by
 * passing {@code io.raceguard.testing.contract.LockManagerContract}.
 */
package io.raceguard.lock.spi;
