package io.raceguard.examples.shop;

/** A request the shop refuses with 400 before doing anything: a field missing or malformed. */
final class BadRequestException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    BadRequestException(String message) {
        super(message);
    }
}
