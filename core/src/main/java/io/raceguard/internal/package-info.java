/**
 * <b>Not API.</b> The rules Raceguard's own modules share, so that each is written once: what a valid
 * key, amount and duration is, the refusals and error messages of the counters and rate-limiter
 * backends, owner tokens, and the set-once check of the builders.
 *
 * <p>These classes are public only so that the {@code jdbc}, {@code redis} and {@code testing} modules
 * can call them. They may change or disappear in any release, without notice or deprecation: do not
 * use them from outside Raceguard.
 */
package io.raceguard.internal;
