package io.raceguard.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the built {@code raceguard-cli.jar} as its own process, as a user would. */
final class RaceJar {

    /** What one run printed and returned. */
    record Run(int exitStatus, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exitStatus + "\n--- out\n" + out + "--- err\n" + err;
        }
    }

    private RaceJar() {}

    static Run run(List<String> arguments) throws IOException, InterruptedException {
        Path jar = Path.of(System.getProperty("raceguard.cli.jar", "target/raceguard-cli.jar"));
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: the integration tests run after mvn package");
        }
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", jar.toString()));
        command.addAll(arguments);
        Path out = Files.createTempFile("race-out", ".txt");
        Path err = Files.createTempFile("race-err", ".txt");
        try {
            Process process = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile())
                    .start();
            if (!process.waitFor(3, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new IllegalStateException("race did not finish within 3 minutes: " + command);
            }
            return new Run(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    static Run run(String... arguments) throws IOException, InterruptedException {
        return run(List.of(arguments));
    }
}
