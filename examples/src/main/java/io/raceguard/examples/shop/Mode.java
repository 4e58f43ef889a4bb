package io.raceguard.examples.shop;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** The two versions of every endpoint; each has its own tables, named with its prefix. */
enum Mode {
    NAIVE,
    GUARDED;

    /** @return the first path segment, e.g. {@code naive} */
    String segment() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** @return the mode's table of that name, e.g. {@code naive_users} */
    String table(String name) {
        return segment() + "_" + name;
    }

    static Optional<Mode> ofSegment(String segment) {
        return Arrays.stream(values()).filter(mode -> mode.segment().equals(segment)).findFirst();
    }
}
