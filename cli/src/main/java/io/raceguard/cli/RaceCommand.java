package io.raceguard.cli;

import io.raceguard.cli.OptionValues.DurationConverter;
import io.raceguard.cli.OptionValues.StatusCount;
import io.raceguard.cli.OptionValues.StatusCountConverter;
import io.raceguard.testing.http.HttpRace;
import io.raceguard.testing.http.HttpRaceException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code race}: fires N aligned copies of one request at any URL, round after round, and checks the
 * statuses and the state they leave. The options follow curl's where curl has one. Exit status 0 when
 * every expectation held in every round, 1 when a race was found, 2 on a usage error or when the server
 * could not be raced (a one-line message names the flag, URL or file).
 *
 * <p>One instance runs one command line; not thread-safe.
 */
@Command(name = "race", mixinStandardHelpOptions = true, version = "race (Raceguard) 0.1.0",
        sortOptions = false, usageHelpAutoWidth = true,
        description = "Fires N copies of one request so that they complete together (HTTP/1.1 last-byte sync, or"
                + " HTTP/2 single-packet), round after round, and checks how often each status came back and how"
                + " the state changed. Placeholders {i} (the request's index in its round) and {uuid} (a fresh"
                + " UUID) vary each request's URL, headers and body.",
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {
            "0:every expectation held in every round",
            "1:a race was found: an expectation broke in some round",
            "2:usage error, or the server could not be raced"},
        footerHeading = "%nExamples:%n",
        footer = {
            "  race --times 20 --rounds 5 -d 'code=SAVE20&user=u{i}' --expect-status 200=1 \\",
            "       http://127.0.0.1:8080/naive/coupons/redeem",
            "  race -r request.txt --http2 -H 'Idempotency-Key: {uuid}' --at-most 201=1",
            "  race -d 'code=SAVE20&user=u{i}' --before-each POST http://127.0.0.1:8080/reset \\",
            "       --state GET http://127.0.0.1:8080/state/guarded --json-pointer /coupon_redemptions \\",
            "       --expect-change 1 --junit-xml race.xml http://127.0.0.1:8080/guarded/coupons/redeem"})
public final class RaceCommand implements Callable<Integer> {

    /** Exit status: every expectation held. */
    public static final int HELD = 0;

    /** Exit status: an expectation broke in some round. */
    public static final int RACE = 1;

    /** Exit status: a usage error, or the server could not be raced. */
    public static final int USAGE = 2;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", paramLabel = "URL",
            description = "The URL to race, e.g. http://127.0.0.1:8080/naive/coupons/redeem; with -r, the server"
                    + " to send the file's request to, e.g. https://shop.example")
    String url;

    @Option(names = {"-X", "--request"}, paramLabel = "METHOD",
            description = "The method, e.g. -X PUT (default GET, or POST with -d)")
    String method;

    @Option(names = {"-H", "--header"}, paramLabel = "'NAME: VALUE'",
            description = "A header, repeatable, e.g. -H 'Idempotency-Key: {uuid}'")
    List<String> headers = new ArrayList<>();

    @Option(names = {"-d", "--data"}, paramLabel = "DATA|@FILE",
            description = "A form body (repeats joined with &), or @FILE without its line breaks,"
                    + " e.g. -d 'code=SAVE20&user=u{i}'")
    List<String> data = new ArrayList<>();

    @Option(names = "--data-binary", paramLabel = "DATA|@FILE",
            description = "A body sent exactly as given, e.g. --data-binary @order.json"
                    + " -H 'Content-Type: application/json'")
    List<String> dataBinary = new ArrayList<>();

    @Option(names = {"-u", "--user"}, paramLabel = "USER:PASSWORD",
            description = "Basic authentication, e.g. -u alice:secret")
    String user;

    @Option(names = {"-k", "--insecure"},
            description = "Trust any TLS certificate and skip host name checks (test servers only), e.g. -k")
    boolean insecure;

    @Option(names = {"-r", "--raw-request"}, paramLabel = "FILE",
            description = "A raw HTTP request as Burp, ZAP or browser developer tools export it (CRLF or LF),"
                    + " e.g. -r request.txt")
    Path rawRequest;

    @Option(names = "--times", defaultValue = "20", paramLabel = "N",
            description = "Requests per round, 1 to 1000, e.g. --times 20 (default ${DEFAULT-VALUE})")
    int times;

    @Option(names = "--rounds", defaultValue = "5", paramLabel = "N",
            description = "Rounds, 1 to 100000, e.g. --rounds 5 (default ${DEFAULT-VALUE})")
    int rounds;

    @ArgGroup(exclusive = true)
    Protocol protocol;

    /** The two techniques; exclusive. */
    static final class Protocol {
        @Option(names = "--http1", required = true,
                description = "HTTP/1.1 with last-byte sync, one connection per request (the default), e.g. --http1")
        boolean http1;

        @Option(names = "--http2", required = true,
                description = "HTTP/2 single-packet: one connection, every request's final frame in one packet"
                        + " (h2c, or TLS with ALPN h2), e.g. --http2")
        boolean http2;
    }

    @Option(names = "--timeout", defaultValue = "30s", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "The connect timeout and the read timeout of each round, e.g. --timeout 10s"
                    + " (default ${DEFAULT-VALUE})")
    Duration timeout;

    @Option(names = "--expect-status", paramLabel = "STATUS=COUNT", converter = StatusCountConverter.class,
            description = "Exactly COUNT responses per round have STATUS, repeatable, e.g. --expect-status 200=1")
    List<StatusCount> expectStatus = new ArrayList<>();

    @Option(names = "--at-most", paramLabel = "STATUS=COUNT", converter = StatusCountConverter.class,
            description = "At most COUNT responses per round have STATUS, repeatable, e.g. --at-most 201=5")
    List<StatusCount> atMost = new ArrayList<>();

    @Option(names = "--state", arity = "2", paramLabel = "<METHOD URL>", hideParamSyntax = true,
            description = "Reads the state before and after each round,"
                    + " e.g. --state GET http://127.0.0.1:8080/state/naive")
    List<String> state = new ArrayList<>();

    @Option(names = "--json-pointer", defaultValue = "", paramLabel = "POINTER",
            description = "The number in the state's JSON to compare, e.g. --json-pointer /coupon_redemptions"
                    + " (default: the whole body)")
    String jsonPointer;

    @Option(names = "--expect-change", paramLabel = "NUMBER",
            description = "The state must change by exactly NUMBER per round, e.g. --expect-change 1")
    BigDecimal expectChange;

    @Option(names = "--before-each", arity = "2", paramLabel = "<METHOD URL>", hideParamSyntax = true,
            description = "Resets the target before each round, e.g. --before-each POST http://127.0.0.1:8080/reset")
    List<String> beforeEach = new ArrayList<>();

    @Option(names = "--arrival-header", defaultValue = "X-Arrival-Nanos", paramLabel = "NAME",
            description = "The response header in which the server echoes its nanosecond clock once it read the"
                    + " request, e.g. --arrival-header X-Arrival-Nanos (default ${DEFAULT-VALUE})")
    String arrivalHeader;

    @Option(names = "--json", description = "Print the report as JSON instead of a table, e.g. --json")
    boolean json;

    @Option(names = "--junit-xml", paramLabel = "FILE",
            description = "Also write the report as JUnit XML, e.g. --junit-xml race.xml")
    Path junitXml;

    /** @param args the command line; exits with the status {@link #run} returns */
    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /**
     * Runs one command line without leaving the JVM.
     *
     * @param args the command line
     * @param out where the report and the help go
     * @param err where errors go, one line each
     * @return {@link #HELD}, {@link #RACE} or {@link #USAGE}
     */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        CommandLine command = new CommandLine(new RaceCommand());
        command.setOut(new PrintWriter(out, true, StandardCharsets.UTF_8));
        command.setErr(new PrintWriter(err, true, StandardCharsets.UTF_8));
        command.setParameterExceptionHandler((failure, args2) -> {
            err.println("race: " + failure.getMessage() + " (see race --help)");
            return USAGE;
        });
        command.setExecutionExceptionHandler((failure, line, parsed) -> {
            err.println("race: " + failure.getMessage());
            return USAGE;
        });
        return command.execute(args);
    }

    @Override
    public Integer call() throws IOException {
        RequestTemplate template = template();
        List<Expectation> expectations = expectations();
        HttpRace race = HttpRace.to(template.base()).connectTimeout(timeout).readTimeout(timeout)
                .arrivalHeader(arrivalHeader);
        race = insecure ? race.trustAllCertificatesInsecurely() : race;
        race = protocol != null && protocol.http2 ? race.singlePacket() : race.maxConnections(Math.max(1, times));
        SideRequest reset;
        SideRequest probe;
        try {
            reset = beforeEach.isEmpty() ? null
                    : SideRequest.of("--before-each", beforeEach, template.headers(), timeout, insecure);
            probe = state.isEmpty() ? null : SideRequest.of("--state", state, template.headers(), timeout, insecure);
        } catch (IllegalArgumentException bad) {
            throw usage(bad.getMessage());
        }
        RaceReport report;
        try {
            List<RoundResult> results =
                    new RaceRounds(race, template, times, reset, probe, new JsonPointer(jsonPointer)).play(rounds);
            String technique = race.isSinglePacket() ? "HTTP/2 single-packet" : "HTTP/1.1 last-byte sync";
            report = RaceReport.of(template.method() + " " + template.base() + template.target(), technique, times,
                    results, expectations);
        } catch (HttpRaceException failed) {
            throw new IOException(failed.getMessage(), failed);
        }
        if (json) {
            spec.commandLine().getOut().println(JsonOutput.of(report));
        } else {
            TableOutput.print(report, spec.commandLine().getOut());
        }
        if (junitXml != null) {
            JunitXmlOutput.write(report, junitXml);
        }
        return report.raceFound() ? RACE : HELD;
    }

    private RequestTemplate template() {
        requireRange("--times", times, 1, 1_000);
        requireRange("--rounds", rounds, 1, 100_000);
        RequestTemplate template;
        try {
            if (rawRequest != null) {
                if (!data.isEmpty() || !dataBinary.isEmpty()) {
                    throw usage("-r takes the body from the request file; leave out -d and --data-binary");
                }
                template = RawRequestFile.read(rawRequest, url);
            } else {
                if (url == null) {
                    throw usage("give the URL to race, e.g. race -d 'code=SAVE20'"
                            + " http://127.0.0.1:8080/naive/coupons/redeem, or a request file with -r");
                }
                Map.Entry<URI, String> where = RequestTemplate.split(url);
                byte[] body = body();
                String chosen = method != null ? method : body.length > 0 ? "POST" : "GET";
                template = new RequestTemplate(where.getKey(), chosen, where.getValue(), List.of(), body);
            }
            template = withHeaders(template);
            template.request(0);
            return template;
        } catch (IllegalArgumentException bad) {
            throw usage(bad.getMessage());
        }
    }

    private RequestTemplate withHeaders(RequestTemplate template) {
        List<Map.Entry<String, String>> all = new ArrayList<>(template.headers());
        for (String header : headers) {
            int colon = header.indexOf(':');
            if (colon <= 0) {
                throw usage("-H '" + header + "' is not 'NAME: VALUE'");
            }
            all.add(Map.entry(header.substring(0, colon).strip(), header.substring(colon + 1).strip()));
        }
        if (user != null) {
            if (!user.contains(":")) {
                throw usage("-u '" + user + "' needs a password: -u USER:PASSWORD");
            }
            all.add(Map.entry("Authorization",
                    "Basic " + Base64.getEncoder().encodeToString(user.getBytes(StandardCharsets.UTF_8))));
        }
        String chosen = rawRequest != null && method != null ? method : template.method();
        return new RequestTemplate(template.base(), chosen, template.target(), all, template.body());
    }

    /** Joins the -d and --data-binary values with {@code &}, as curl does. */
    private byte[] body() {
        List<byte[]> parts = new ArrayList<>();
        for (String value : data) {
            parts.add(new String(read("-d", value), StandardCharsets.ISO_8859_1).replaceAll("[\\r\\n]", "")
                    .getBytes(StandardCharsets.ISO_8859_1));
        }
        for (String value : dataBinary) {
            parts.add(read("--data-binary", value));
        }
        ByteArrayOutputStream joined = new ByteArrayOutputStream();
        for (int i = 0; i < parts.size(); i++) {
            if (i > 0) {
                joined.write('&');
            }
            joined.writeBytes(parts.get(i));
        }
        return joined.toByteArray();
    }

    private byte[] read(String option, String value) {
        if (!value.startsWith("@")) {
            return value.getBytes(StandardCharsets.UTF_8);
        }
        Path file = Path.of(value.substring(1));
        try {
            return Files.readAllBytes(file);
        } catch (IOException unreadable) {
            throw usage(option + " file " + file + " cannot be read: " + unreadable);
        }
    }

    private List<Expectation> expectations() {
        List<Expectation> expectations = new ArrayList<>();
        expectStatus.forEach(pair -> expectations.add(new Expectation.StatusCount(pair.status(), pair.count(), true)));
        atMost.forEach(pair -> expectations.add(new Expectation.StatusCount(pair.status(), pair.count(), false)));
        if (state.size() > 2 || beforeEach.size() > 2) {
            throw usage((state.size() > 2 ? "--state" : "--before-each") + " may be given once");
        }
        if (state.isEmpty() != (expectChange == null)) {
            throw usage(state.isEmpty() ? "--expect-change needs --state METHOD URL to read the state from"
                    : "--state needs --expect-change NUMBER, the change each round may make");
        }
        if (expectChange != null) {
            try {
                expectations.add(new Expectation.StateChange(new JsonPointer(jsonPointer), expectChange));
            } catch (IllegalArgumentException bad) {
                throw usage(bad.getMessage());
            }
        }
        if (expectations.isEmpty()) {
            throw usage("give at least one expectation: --expect-status STATUS=COUNT, --at-most STATUS=COUNT,"
                    + " or --state METHOD URL with --expect-change NUMBER");
        }
        return expectations;
    }

    private void requireRange(String option, int value, int min, int max) {
        if (value < min || value > max) {
            throw usage(option + " must be " + min + " to " + max + ", was " + value);
        }
    }

    private ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }
}
