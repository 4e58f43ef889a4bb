package io.raceguard.web;

import static java.util.Objects.requireNonNull;

import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;

/** Checks shared by the filters' builders: set-once options and lists of names. Stateless. */
final class Options {

    private Options() {}

    /** @throws IllegalStateException if the option already holds a value */
    static void requireUnset(Object current, String option) {
        if (current != null) {
            throw new IllegalStateException(option + " was already set to " + current);
        }
    }

    /**
     * @return the names, in order, without duplicates
     * @throws NullPointerException if {@code names} or one of them is null
     * @throws IllegalArgumentException if {@code names} is empty (unless {@code emptyAllowed}) or a name
     *     is not an HTTP token
     */
    static Set<String> tokens(String[] names, String option, boolean emptyAllowed) {
        requireNonNull(names, option);
        if (names.length == 0 && !emptyAllowed) {
            throw new IllegalArgumentException(option + " must name at least one");
        }
        Set<String> checked = new LinkedHashSet<>();
        for (String name : names) {
            requireNonNull(name, option + " element");
            if (name.isEmpty() || !name.chars().allMatch(Options::isTokenChar)) {
                throw new IllegalArgumentException(option + " must hold HTTP tokens, was '" + name + "'");
            }
            checked.add(name);
        }
        return checked;
    }

    /** @return the names upper-cased, for methods */
    static Set<String> methods(String[] methods) {
        Set<String> upper = new LinkedHashSet<>();
        tokens(methods, "methods", false).forEach(method -> upper.add(method.toUpperCase(Locale.ROOT)));
        return upper;
    }

    /** @return whether {@code c} is an RFC 9110 {@code tchar} */
    static boolean isTokenChar(int c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
                || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
    }
}
