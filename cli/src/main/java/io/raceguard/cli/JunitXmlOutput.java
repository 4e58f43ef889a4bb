package io.raceguard.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes a report as a JUnit XML test suite, one test case per expectation, for CI test reports. */
final class JunitXmlOutput {

    private JunitXmlOutput() {}

    static void write(RaceReport report, Path file) throws IOException {
        StringBuilder xml = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        long failures = report.checks().stream().filter(check -> !check.held()).count();
        xml.append("<testsuite name=\"race\" tests=\"").append(report.checks().size())
                .append("\" failures=\"").append(failures).append("\" errors=\"0\" skipped=\"0\">\n");
        for (CheckResult check : report.checks()) {
            xml.append("  <testcase classname=\"").append(escape(report.request())).append("\" name=\"")
                    .append(escape(check.expectation().counted() + " " + check.expectation().allowed()))
                    .append("\"");
            if (check.held()) {
                xml.append("/>\n");
            } else {
                xml.append(">\n    <failure message=\"")
                        .append(escape(check.verdict() + ": observed " + check.worstObserved().toPlainString()
                                + " in round " + check.worst().number() + " (" + check.worst().statusText() + ")"))
                        .append("\"/>\n  </testcase>\n");
            }
        }
        xml.append("</testsuite>\n");
        Files.writeString(file, xml, StandardCharsets.UTF_8);
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
