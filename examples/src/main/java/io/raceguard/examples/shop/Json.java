package io.raceguard.examples.shop;

/**
 * Writes one compact JSON object, member by member, in the order they are put: enough for the
 * shop's replies, without a JSON library. Not thread-safe; build one per reply.
 */
final class Json {

    private final StringBuilder text = new StringBuilder("{");

    private Json() {}

    static Json object() {
        return new Json();
    }

    Json put(String name, long value) {
        name(name);
        text.append(value);
        return this;
    }

    Json put(String name, boolean value) {
        name(name);
        text.append(value);
        return this;
    }

    Json put(String name, String value) {
        name(name);
        quote(value);
        return this;
    }

    Json put(String name, Json nested) {
        name(name);
        text.append(nested);
        return this;
    }

    @Override
    public String toString() {
        return text + "}";
    }

    private void name(String name) {
        if (text.length() > 1) {
            text.append(',');
        }
        quote(name);
        text.append(':');
    }

    private void quote(String value) {
        text.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> text.append("\\\"");
                case '\\' -> text.append("\\\\");
                case '\n' -> text.append("\\n");
                case '\r' -> text.append("\\r");
                case '\t' -> text.append("\\t");
                default -> text.append(c < 0x20 ? String.format("\\u%04x", (int) c) : String.valueOf(c));
            }
        }
        text.append('"');
    }
}
