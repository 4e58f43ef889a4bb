package io.raceguard.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Keeps the README honest: every {@code <!-- snippet:NAME -->} code block in it must be, line for
 * line, the {@code // quickstart:NAME} ... {@code // end} region of one of the example tests (mostly
 * {@link QuickstartTest}, and the Spring Boot starter's test application), which compile and run; and
 * every such region must be quoted.
 */
final class ReadmeSnippetsTest {

    private static final Path README = Path.of("..", "README.md");
    private static final List<Path> SOURCES =
            List.of(Path.of("src", "test", "java"), Path.of("..", "spring-boot", "src", "test", "java"));
    private static final Pattern README_SNIPPET =
            Pattern.compile("<!-- snippet:([a-z-]+) -->\\s*```java\\n(.*?)```", Pattern.DOTALL);
    private static final Pattern SOURCE_REGION =
            Pattern.compile("\\n([ \\t]*)// quickstart:([a-z-]+)\\n(.*?)\\n[ \\t]*// end\\n", Pattern.DOTALL);

    @Test
    void shouldQuoteEveryReadmeSnippetVerbatimFromTheCompiledQuickstart() throws IOException {
        Map<String, String> regions = new LinkedHashMap<>();
        for (Path root : SOURCES) {
            try (var files = Files.walk(root)) {
                for (Path source : files.filter(path -> path.toString().endsWith(".java")).sorted().toList()) {
                    regions.putAll(regions(Files.readString(source)));
                }
            }
        }
        Matcher snippets = README_SNIPPET.matcher(Files.readString(README));
        List<String> quoted = new ArrayList<>();
        while (snippets.find()) {
            String name = snippets.group(1);
            assertThat(regions).as("README snippet '%s' has a quickstart region", name).containsKey(name);
            assertThat(snippets.group(2).stripTrailing()).as("README snippet '%s'", name).isEqualTo(regions.get(name));
            quoted.add(name);
        }
        assertThat(quoted).as("snippets quoted by the README").containsExactlyInAnyOrderElementsOf(regions.keySet());
    }

    private static Map<String, String> regions(String source) {
        Map<String, String> regions = new LinkedHashMap<>();
        Matcher region = SOURCE_REGION.matcher(source);
        while (region.find()) {
            String indent = region.group(1);
            StringBuilder dedented = new StringBuilder();
            for (String line : region.group(3).split("\n", -1)) {
                dedented.append(line.startsWith(indent) ? line.substring(indent.length()) : line.strip()).append('\n');
            }
            regions.put(region.group(2), dedented.toString().stripTrailing());
        }
        return regions;
    }
}
