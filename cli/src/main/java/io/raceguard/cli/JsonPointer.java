package io.raceguard.cli;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the number an RFC 6901 JSON pointer names in a JSON document, e.g. {@code /coupon_redemptions}
 * or {@code /balances/2}; the empty pointer names the whole document. A small recursive-descent parser:
 * the state endpoints it reads are small. Immutable and thread-safe.
 */
final class JsonPointer {

    private final String pointer;

    /** @throws IllegalArgumentException if {@code pointer} is neither empty nor starts with {@code /} */
    JsonPointer(String pointer) {
        if (!pointer.isEmpty() && !pointer.startsWith("/")) {
            throw new IllegalArgumentException("--json-pointer '" + pointer + "' must be empty or start with '/'");
        }
        this.pointer = pointer;
    }

    /** @throws IllegalArgumentException if the document is not JSON or the pointer names no number in it */
    BigDecimal number(String json) {
        Object value = new Parser(json).document();
        if (!pointer.isEmpty()) {
            for (String token : pointer.substring(1).split("/", -1)) {
                String member = token.replace("~1", "/").replace("~0", "~");
                if (value instanceof Map<?, ?> object && object.containsKey(member)) {
                    value = object.get(member);
                } else if (value instanceof List<?> array && member.matches("0|[1-9][0-9]{0,8}")
                        && Integer.parseInt(member) < array.size()) {
                    value = array.get(Integer.parseInt(member));
                } else {
                    throw new IllegalArgumentException("the state has nothing at " + pointer);
                }
            }
        }
        if (!(value instanceof BigDecimal number)) {
            throw new IllegalArgumentException("the state at '" + pointer + "' is not a number");
        }
        return number;
    }

    @Override
    public String toString() {
        return pointer;
    }

    private static final class Parser {
        private final String text;
        private int at;

        Parser(String text) {
            this.text = text;
        }

        Object document() {
            Object value = value();
            skipSpace();
            if (at != text.length()) {
                throw malformed();
            }
            return value;
        }

        private Object value() {
            skipSpace();
            if (at >= text.length()) {
                throw malformed();
            }
            char c = text.charAt(at);
            if (c == '{') {
                return object();
            }
            if (c == '[') {
                return array();
            }
            if (c == '"') {
                return string();
            }
            for (String literal : new String[] {"true", "false", "null"}) {
                if (text.startsWith(literal, at)) {
                    at += literal.length();
                    return literal.equals("null") ? "null" : Boolean.valueOf(literal);
                }
            }
            int start = at;
            while (at < text.length() && "+-0123456789.eE".indexOf(text.charAt(at)) >= 0) {
                at++;
            }
            try {
                return new BigDecimal(text.substring(start, at));
            } catch (NumberFormatException notANumber) {
                throw malformed();
            }
        }

        private Map<String, Object> object() {
            Map<String, Object> members = new LinkedHashMap<>();
            at++;
            if (peek() == '}') {
                at++;
                return members;
            }
            while (true) {
                skipSpace();
                String name = string();
                expect(':');
                members.put(name, value());
                if (next() == '}') {
                    return members;
                }
                at--;
                expect(',');
            }
        }

        private List<Object> array() {
            List<Object> elements = new ArrayList<>();
            at++;
            if (peek() == ']') {
                at++;
                return elements;
            }
            while (true) {
                elements.add(value());
                if (next() == ']') {
                    return elements;
                }
                at--;
                expect(',');
            }
        }

        private String string() {
            if (at >= text.length() || text.charAt(at) != '"') {
                throw malformed();
            }
            StringBuilder value = new StringBuilder();
            for (at++; at < text.length(); at++) {
                char c = text.charAt(at);
                if (c == '"') {
                    at++;
                    return value.toString();
                }
                if (c == '\\' && at + 1 < text.length()) {
                    char escaped = text.charAt(++at);
                    if (escaped == 'u' && at + 4 < text.length()) {
                        value.append((char) Integer.parseInt(text.substring(at + 1, at + 5), 16));
                        at += 4;
                    } else {
                        value.append(switch (escaped) {
                            case 'n' -> '\n';
                            case 't' -> '\t';
                            case 'r' -> '\r';
                            case 'b' -> '\b';
                            case 'f' -> '\f';
                            default -> escaped;
                        });
                    }
                } else {
                    value.append(c);
                }
            }
            throw malformed();
        }

        private char peek() {
            skipSpace();
            return at < text.length() ? text.charAt(at) : '\0';
        }

        private char next() {
            char c = peek();
            at++;
            return c;
        }

        private void expect(char wanted) {
            if (next() != wanted) {
                throw malformed();
            }
        }

        private void skipSpace() {
            while (at < text.length() && Character.isWhitespace(text.charAt(at))) {
                at++;
            }
        }

        private IllegalArgumentException malformed() {
            return new IllegalArgumentException("the state is not JSON (at character " + at + ")");
        }
    }
}
