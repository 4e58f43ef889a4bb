package io.raceguard.internal;

/**
 * The one rule of every Raceguard builder: each setting may be given once. A second call is a
 * mistake (two pieces of configuration that disagree), so it fails at once, naming the setting and
 * the value it already has, instead of letting the last call win silently.
 *
 * <p>Stateless and thread-safe.
 */
public final class SetOnce {

    private SetOnce() {}

    /**
     * @param current the setting's value so far, {@code null} while unset
     * @param setting the setting's name, as the builder method spells it
     * @throws IllegalStateException if {@code current} is not null: "{@code <setting> was already set to
     *     <current>}"
     */
    public static void requireUnset(Object current, String setting) {
        if (current != null) {
            throw new IllegalStateException(setting + " was already set to " + current);
        }
    }
}
