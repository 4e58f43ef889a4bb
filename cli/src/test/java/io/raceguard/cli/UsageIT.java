package io.raceguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Usage errors from the built jar: exit status 2 and one line naming the flag, URL or file. */
final class UsageIT {

    @TempDir
    Path directory;

    @Test
    void shouldNameAnUnknownFlag() throws Exception {
        RaceJar.Run run = RaceJar.run("--tims", "20", "--expect-status", "200=1", "http://127.0.0.1:9/");

        assertUsageError(run, "--tims");
    }

    @Test
    void shouldNameABadUrl() throws Exception {
        RaceJar.Run run = RaceJar.run("--expect-status", "200=1", "ftp://127.0.0.1/file");

        assertUsageError(run, "URL 'ftp://127.0.0.1/file' must start with http:// or https://");
    }

    @Test
    void shouldNameAMalformedRequestFile() throws Exception {
        Path file = Files.writeString(directory.resolve("request.txt"), "not a request\n");

        RaceJar.Run run = RaceJar.run("-r", file.toString(), "--expect-status", "200=1");

        assertUsageError(run, "request file " + file + " does not start with a request line");
    }

    @Test
    void shouldNameABadExpectation() throws Exception {
        RaceJar.Run run = RaceJar.run("--expect-status", "ok", "http://127.0.0.1:9/");

        assertUsageError(run, "'ok' is not STATUS=COUNT, e.g. 200=1");
    }

    @Test
    void shouldAskForAnExpectation() throws Exception {
        RaceJar.Run run = RaceJar.run("http://127.0.0.1:9/");

        assertUsageError(run, "give at least one expectation");
    }

    @Test
    void shouldNameTheUrlThatCannotBeReached() throws Exception {
        RaceJar.Run run = RaceJar.run("--timeout", "2s", "--expect-status", "200=1", "http://127.0.0.1:9/x");

        assertUsageError(run, "127.0.0.1:9");
    }

    @Test
    void shouldListEveryOptionWithAnExampleInTheHelp() throws Exception {
        RaceJar.Run run = RaceJar.run("--help");

        assertThat(run.exitStatus()).isZero();
        String joined = run.out().replaceAll("\n {20,}", " ");
        for (String option : new String[] {"-X", "-H", "-d", "--data-binary", "-u", "-k", "-r", "--times",
                "--rounds", "--http1", "--http2", "--timeout", "--expect-status", "--at-most", "--state",
                "--json-pointer", "--expect-change", "--before-each", "--arrival-header", "--json",
                "--junit-xml"}) {
            assertThat(joined).as(option).containsPattern("(?m)^\\s+(-\\w, )?" + option + "[ =,].*e\\.g\\. ");
        }
    }

    private static void assertUsageError(RaceJar.Run run, String named) {
        assertThat(run.exitStatus()).as(run.toString()).isEqualTo(RaceCommand.USAGE);
        assertThat(run.err()).as(run.toString()).startsWith("race: ").contains(named);
        assertThat(run.err().strip().lines()).as("one line").hasSize(1);
        assertThat(run.out()).isEmpty();
    }
}
