/**
 * The HTTP/1.1 transport of the hammer: {@link io.raceguard.testing.http.HttpRace} fires
 * {@link io.raceguard.testing.http.RaceRequest}s over pre-opened connections with last-byte
 * synchronisation and returns a {@link io.raceguard.testing.http.RaceVolley} of
 * {@link io.raceguard.testing.http.RaceResponse}s with the measured release spread and, when the server
 * echoes its clock, the arrival spread it saw. JDK only: {@link java.net.Socket} and
 * {@link javax.net.ssl}.
 */
package io.raceguard.testing.http;
