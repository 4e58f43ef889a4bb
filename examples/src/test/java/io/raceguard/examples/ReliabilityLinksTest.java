package io.raceguard.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Keeps RELIABILITY.md honest: every test it names as proof ({@code `module: Class#method`}, a
 * following {@code `#method`} of the same class, or a {@code `module: Glob*Test`}) must exist in that
 * module's sources, so a renamed or deleted test cannot leave a promise without its proof.
 */
final class ReliabilityLinksTest {

    private static final Path ROOT = Path.of("..");
    private static final Pattern CODE_SPAN = Pattern.compile("`([^`\\n]+)`");
    private static final Pattern CLASS_REFERENCE =
            Pattern.compile("([a-z-]+): ([A-Za-z0-9_*$]+)(?:#([A-Za-z0-9_]+))?");
    private static final Pattern METHOD_REFERENCE = Pattern.compile("#([A-Za-z0-9_]+)");

    @Test
    void shouldNameOnlyTestsThatExist() throws IOException {
        Matcher spans = CODE_SPAN.matcher(Files.readString(ROOT.resolve("RELIABILITY.md")));
        List<String> missing = new ArrayList<>();
        int checked = 0;
        Path currentClass = null;
        while (spans.find()) {
            String span = spans.group(1);
            Matcher classReference = CLASS_REFERENCE.matcher(span);
            Matcher methodReference = METHOD_REFERENCE.matcher(span);
            if (classReference.matches()) {
                String module = classReference.group(1);
                String name = classReference.group(2);
                List<Path> sources = sourcesMatching(module, name);
                checked++;
                if (sources.isEmpty()) {
                    missing.add(span + " (no such class)");
                    currentClass = null;
                    continue;
                }
                currentClass = name.contains("*") ? null : sources.get(0);
                if (classReference.group(3) != null) {
                    checked++;
                    checkMethod(currentClass, classReference.group(3), span, missing);
                }
            } else if (methodReference.matches() && currentClass != null) {
                checked++;
                checkMethod(currentClass, methodReference.group(1), span, missing);
            }
        }
        assertThat(checked).as("references found in RELIABILITY.md").isGreaterThan(40);
        assertThat(missing).as("tests RELIABILITY.md names that do not exist").isEmpty();
    }

    private static void checkMethod(Path source, String method, String span, List<String> missing)
            throws IOException {
        if (source == null) {
            missing.add(span + " (a method of a class pattern)");
            return;
        }
        Pattern declaration = Pattern.compile("(void|>)\\s+" + Pattern.quote(method) + "\\s*\\(");
        if (!declaration.matcher(Files.readString(source)).find()) {
            missing.add(span + " (no such method in " + source.getFileName() + ")");
        }
    }

    /**
     * The source files of {@code module} whose top-level class matches {@code name} ({@code *} any text,
     * {@code $Nested} ignored).
     */
    private static List<Path> sourcesMatching(String module, String name) throws IOException {
        String topLevel = name.contains("$") ? name.substring(0, name.indexOf('$')) : name;
        Pattern fileName = Pattern.compile(
                Pattern.quote(topLevel).replace("*", "\\E.*\\Q") + "\\.java");
        Path src = ROOT.resolve(module).resolve("src");
        if (!Files.isDirectory(src)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(src)) {
            return files.filter(path -> fileName.matcher(path.getFileName().toString()).matches())
                    .sorted()
                    .toList();
        }
    }
}
