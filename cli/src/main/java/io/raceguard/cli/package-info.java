/**
 * The {@code race} command line tool ({@link io.raceguard.cli.RaceCommand}): fires N aligned copies of
 * one request at any URL with the testing module's {@code HttpRace}, over HTTP/1.1 with last-byte sync
 * or HTTP/2 single-packet, and checks statuses and state per round. Only {@code RaceCommand} is public.
 */
package io.raceguard.cli;
