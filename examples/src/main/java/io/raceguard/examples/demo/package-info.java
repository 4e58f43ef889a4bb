/**
 * The demo's main job, {@link io.raceguard.examples.demo.RaceguardDemo}: starts the shop, races every
 * endpoint of both modes over HTTP with {@link io.raceguard.testing.http.HttpRace} and prints what
 * each let through.
 */
package io.raceguard.examples.demo;
