package io.raceguard.examples.shop;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * The fields of an {@code application/x-www-form-urlencoded} body. Every getter validates its
 * field and throws {@link BadRequestException}, so an endpoint never acts on bad input.
 */
final class Form {

    private static final int MAX_TEXT_LENGTH = 128;

    private final Map<String, String> fields;

    private Form(Map<String, String> fields) {
        this.fields = fields;
    }

    /** @throws BadRequestException if the body is not form-encoded UTF-8 */
    static Form parse(byte[] body) {
        Map<String, String> fields = new HashMap<>();
        String text = new String(body, StandardCharsets.UTF_8);
        for (String pair : text.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int equals = pair.indexOf('=');
            try {
                String name = URLDecoder.decode(equals < 0 ? pair : pair.substring(0, equals), StandardCharsets.UTF_8);
                String value = equals < 0 ? "" : URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8);
                fields.putIfAbsent(name, value);
            } catch (IllegalArgumentException malformed) {
                throw new BadRequestException("the body is not form-encoded: " + malformed.getMessage());
            }
        }
        return new Form(fields);
    }

    /** @return the field's value, stripped, at most 128 characters and not blank */
    String text(String name) {
        String value = fields.get(name);
        if (value == null || value.isBlank()) {
            throw new BadRequestException("field " + name + " is required");
        }
        if (value.length() > MAX_TEXT_LENGTH) {
            throw new BadRequestException("field " + name + " must be at most " + MAX_TEXT_LENGTH + " characters");
        }
        return value.strip();
    }

    /** @return the field as a whole number {@code > 0} */
    long positiveNumber(String name) {
        String value = text(name);
        try {
            long number = Long.parseLong(value);
            if (number > 0) {
                return number;
            }
        } catch (NumberFormatException notANumber) {
            // answered below, like a number out of range
        }
        throw new BadRequestException("field " + name + " must be a whole number > 0");
    }
}
