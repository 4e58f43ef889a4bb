package io.raceguard.jdbc;

/**
 * Reads the violated key's name out of the duplicate-key messages of the databases whose drivers do
 * not report it in a field of its own.
 */
final class DuplicateKeyNames {

    private static final String MYSQL_KEY_MARKER = " for key '";

    private DuplicateKeyNames() {}

    /**
     * MariaDB and MySQL: {@code Duplicate entry 'value' for key 'name'}, where MySQL 8.0.19+ writes the
     * name as {@code table.name}. The duplicate value may itself contain the marker, so the name is
     * read from the last one.
     *
     * @return the index name, or empty when the message has no key name
     */
    static String fromMySql(String message) {
        if (message == null) {
            return "";
        }
        int marker = message.lastIndexOf(MYSQL_KEY_MARKER);
        int end = message.lastIndexOf('\'');
        if (marker < 0 || end < marker + MYSQL_KEY_MARKER.length()) {
            return "";
        }
        String qualified = message.substring(marker + MYSQL_KEY_MARKER.length(), end);
        return qualified.substring(qualified.lastIndexOf('.') + 1);
    }

    /**
     * H2: {@code Unique index or primary key violation: "SCHEMA.NAME ..."} (the prefix is translated),
     * where the quoted parameter starts with the constraint name, or the index name when there is no
     * constraint, possibly schema-qualified, with quoted identifiers and with every quote inside the
     * parameter doubled.
     *
     * @return the constraint or index name without its schema, or empty when the message has none
     */
    static String fromH2(String message) {
        if (message == null) {
            return "";
        }
        int open = message.indexOf('"');
        if (open < 0) {
            return "";
        }
        String parameter = unquote(message, open);
        String name = "";
        int position = 0;
        while (position < parameter.length()) {
            int end;
            if (parameter.charAt(position) == '"') {
                StringBuilder quoted = new StringBuilder();
                end = readQuoted(parameter, position, quoted);
                name = quoted.toString();
            } else {
                end = position;
                while (end < parameter.length() && " .\"(".indexOf(parameter.charAt(end)) < 0) {
                    end++;
                }
                name = parameter.substring(position, end);
            }
            if (end >= parameter.length() || parameter.charAt(end) != '.') {
                break;
            }
            position = end + 1;
        }
        return name;
    }

    /** @return the text of the quoted parameter opening at {@code open}, its doubled quotes undoubled */
    private static String unquote(String text, int open) {
        StringBuilder unquoted = new StringBuilder();
        readQuoted(text, open, unquoted);
        return unquoted.toString();
    }

    /**
     * Reads an SQL-style quoted string opening at {@code open} into {@code target}.
     *
     * @return the index just past the closing quote, or the length of {@code text} when it is unclosed
     */
    private static int readQuoted(String text, int open, StringBuilder target) {
        int i = open + 1;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c == '"') {
                if (i + 1 < text.length() && text.charAt(i + 1) == '"') {
                    target.append('"');
                    i += 2;
                    continue;
                }
                return i + 1;
            }
            target.append(c);
            i++;
        }
        return i;
    }
}
