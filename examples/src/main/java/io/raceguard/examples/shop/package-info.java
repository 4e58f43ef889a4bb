/**
 * The demo shop: a small web back end whose every endpoint exists twice, {@code /naive/...} with the
 * textbook check-then-act and {@code /guarded/...} on Raceguard, so that the same attack can be run
 * against both. Start it with {@link io.raceguard.examples.shop.Shop#start}. Each endpoint's two
 * versions sit side by side in one class ({@code CouponRedemptions}, {@code Transfers},
 * {@code Signups}, {@code Orders}, {@code Logins}, {@code Charges}), to be read as a pair.
 */
package io.raceguard.examples.shop;
