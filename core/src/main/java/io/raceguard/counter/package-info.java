/**
 * Bounded counters: a level per key that moves only when its condition holds, checked and written in
 * one atomic step ({@link io.raceguard.counter.Counters}). {@code take} never goes below zero, {@code
 * add} never above a ceiling, and a ceiling of one is a once-only claim.
 *
 * <p>{@link io.raceguard.counter.InMemoryCounters} is the one-JVM backend and the reference semantics;
 * {@code JdbcCounters} and {@code RedisCounters} keep the levels in a database table or in Redis.
 */
package io.raceguard.counter;
