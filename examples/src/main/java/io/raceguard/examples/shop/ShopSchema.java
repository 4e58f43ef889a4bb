package io.raceguard.examples.shop;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Jdbi;

/** Creates the shop's tables from {@code shop.sql}, which runs as it is on H2 and PostgreSQL. */
final class ShopSchema {

    private static final String RESOURCE = "shop.sql";

    private ShopSchema() {}

    static void create(Jdbi jdbi) {
        List<String> statements = statements();
        jdbi.useTransaction(handle -> statements.forEach(handle::execute));
    }

    private static List<String> statements() {
        try (InputStream in = ShopSchema.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the class path");
            }
            String withoutComments = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
                    .filter(line -> !line.strip().startsWith("--"))
                    .collect(Collectors.joining("\n"));
            return Arrays.stream(withoutComments.split(";"))
                    .map(String::strip)
                    .filter(statement -> !statement.isEmpty())
                    .toList();
        } catch (IOException unreadable) {
            throw new UncheckedIOException("cannot read " + RESOURCE, unreadable);
        }
    }
}
