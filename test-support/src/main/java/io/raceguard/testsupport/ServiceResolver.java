package io.raceguard.testsupport;

import static java.util.Objects.requireNonNull;

import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Decides where tests find a server, in this order:
 * <ol>
 *   <li>the kind's environment variable ({@code RACEGUARD_POSTGRES_URL}, ...), when set and not blank;
 *   <li>a container, when a Docker engine answers;
 *   <li>the standard port on 127.0.0.1, when the server answers there with its default credentials;
 *   <li>nowhere: the test is skipped, or fails when {@code RACEGUARD_REQUIRE_SERVICES=true}.
 * </ol>
 * A URL that cannot be parsed, or a container that does not start, is a failure even when services
 * are optional: something was meant to be used and is not.
 *
 * <p>The environment and both probes are injected, so each path can be tested without touching the
 * real environment. Thread-safe if the probes are; it keeps no state of its own.
 */
final class ServiceResolver {

    static final String REQUIRE_VARIABLE = "RACEGUARD_REQUIRE_SERVICES";

    private final Map<String, String> environment;
    private final BooleanSupplier dockerAnswers;
    private final LocalProbe localProbe;

    ServiceResolver(Map<String, String> environment, BooleanSupplier dockerAnswers, LocalProbe localProbe) {
        this.environment = Map.copyOf(requireNonNull(environment, "environment"));
        this.dockerAnswers = requireNonNull(dockerAnswers, "dockerAnswers");
        this.localProbe = requireNonNull(localProbe, "localProbe");
    }

    <T> Resolution<T> resolve(ServiceKind kind, ServiceFactory<T> factory) {
        requireNonNull(kind, "kind");
        requireNonNull(factory, "factory");
        String variable = kind.variable();
        String url = environment.get(variable);
        if (url != null && !url.isBlank()) {
            return attempt(() -> factory.fromUrl().apply(url.trim(), variable), variable,
                    variable + " is set but not usable");
        }
        if (dockerAnswers.getAsBoolean()) {
            return attempt(factory.fromContainer(), "Testcontainers",
                    "a Docker engine answers but the " + kind.displayName() + " container did not start; set "
                            + variable + " to use a server of your own");
        }
        if (localProbe.answers(kind)) {
            String source = "localhost:" + kind.standardPort();
            return attempt(() -> factory.fromUrl().apply(kind.standardLoopbackUrl(), source), source,
                    kind.displayName() + " answers on " + source + " but could not be used");
        }
        return new Resolution.Missing<>(missingMessage(kind), servicesRequired());
    }

    private boolean servicesRequired() {
        String value = environment.get(REQUIRE_VARIABLE);
        return value != null && value.trim().equalsIgnoreCase("true");
    }

    private String missingMessage(ServiceKind kind) {
        String where = "set " + kind.variable() + " (e.g. " + kind.standardLoopbackUrl()
                + "), start a Docker engine, or run " + kind.displayName() + " on 127.0.0.1:" + kind.standardPort();
        return servicesRequired()
                ? kind.displayName() + " is required (" + REQUIRE_VARIABLE + "=true) but was not found: " + where
                : kind.displayName() + " not found, test skipped: " + where;
    }

    private static <T> Resolution<T> attempt(Supplier<T> build, String source, String failure) {
        try {
            return new Resolution.Found<>(build.get(), source);
        } catch (RuntimeException e) {
            return new Resolution.Broken<>(failure, e);
        }
    }
}
