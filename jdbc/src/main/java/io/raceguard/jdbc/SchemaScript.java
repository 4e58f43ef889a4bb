package io.raceguard.jdbc;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The shipped DDL resource of a dialect, turned into statements under the caller's table names. The
 * resource is the one source of the DDL: what {@link Schema} runs is exactly what Flyway users copy,
 * with each default name swapped for the validated, quoted name it stands for.
 */
final class SchemaScript {

    private static final Pattern DEFAULT_NAME = Pattern.compile("\\braceguard_[a-z_]+\\b");
    private static final Pattern COMMENT_LINE = Pattern.compile("(?m)^\\s*--.*$");

    private SchemaScript() {}

    /** @return the resource path of a dialect's DDL, relative to the class path root */
    static String resource(Dialect dialect) {
        return "io/raceguard/jdbc/schema/" + dialect.name().toLowerCase(Locale.ROOT) + ".sql";
    }

    /** @return the statements that create every table, sequence and index under {@code names} */
    static List<String> createStatements(Dialect dialect, TableNames names) {
        Map<String, String> replacements = Map.of(
                TableNames.DEFAULT_LOCKS, names.locksTable().quoted(dialect),
                TableNames.DEFAULT_LOCK_FENCE, names.lockFenceSequence().quoted(dialect),
                TableNames.DEFAULT_COUNTERS, names.countersTable().quoted(dialect),
                TableNames.DEFAULT_RATE_LIMITS, names.rateLimitsTable().quoted(dialect),
                TableNames.DEFAULT_IDEMPOTENCY, names.idempotencyTable().quoted(dialect),
                TableNames.DEFAULT_RATE_LIMITS + TableNames.EXPIRY_INDEX_SUFFIX,
                TableNames.expiryIndex(names.rateLimits(), dialect),
                TableNames.DEFAULT_IDEMPOTENCY + TableNames.EXPIRY_INDEX_SUFFIX,
                TableNames.expiryIndex(names.idempotency(), dialect));
        String script = COMMENT_LINE.matcher(read(resource(dialect))).replaceAll("");
        List<String> statements = new ArrayList<>();
        for (String statement : script.split(";")) {
            if (!statement.isBlank()) {
                statements.add(rename(statement.strip(), replacements));
            }
        }
        return statements;
    }

    /** @return the statements that drop every table and the sequence under {@code names}, if they exist */
    static List<String> dropStatements(Dialect dialect, TableNames names) {
        List<String> statements = new ArrayList<>();
        for (SqlIdentifier table : names.tables()) {
            statements.add("DROP TABLE IF EXISTS " + table.quoted(dialect));
        }
        statements.add("DROP SEQUENCE IF EXISTS " + names.lockFenceSequence().quoted(dialect));
        return statements;
    }

    private static String rename(String statement, Map<String, String> replacements) {
        Matcher name = DEFAULT_NAME.matcher(statement);
        StringBuilder renamed = new StringBuilder();
        while (name.find()) {
            String replacement = replacements.get(name.group());
            if (replacement == null) {
                throw new IllegalStateException("the DDL resource names an unknown object: " + name.group());
            }
            name.appendReplacement(renamed, Matcher.quoteReplacement(replacement));
        }
        name.appendTail(renamed);
        return renamed.toString();
    }

    private static String read(String resource) {
        try (InputStream in = SchemaScript.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("the DDL resource " + resource + " is missing from the class path");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("could not read the DDL resource " + resource, e);
        }
    }
}
