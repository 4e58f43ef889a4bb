package io.raceguard.examples.shop;

/** Something the shop closes when it stops, failing only with unchecked exceptions. */
@FunctionalInterface
interface Cleanup extends AutoCloseable {

    @Override
    void close();
}
