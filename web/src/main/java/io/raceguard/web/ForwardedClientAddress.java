package io.raceguard.web;

import static java.util.Objects.requireNonNull;

import jakarta.servlet.http.HttpServletRequest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** {@link PrincipalResolver#forwardedClientAddress}: the first untrusted hop of X-Forwarded-For. */
final class ForwardedClientAddress implements PrincipalResolver {

    private static final String FORWARDED_FOR = "X-Forwarded-For";

    private final Set<String> trustedProxies;

    ForwardedClientAddress(Set<String> trustedProxies) {
        requireNonNull(trustedProxies, "trustedProxies");
        if (trustedProxies.isEmpty()) {
            throw new IllegalArgumentException("trustedProxies must name at least one proxy address");
        }
        for (String proxy : trustedProxies) {
            if (requireNonNull(proxy, "trustedProxies element").isBlank()) {
                throw new IllegalArgumentException("trustedProxies must not hold a blank address");
            }
        }
        this.trustedProxies = Set.copyOf(trustedProxies);
    }

    @Override
    public Optional<String> principal(HttpServletRequest request) {
        String peer = request.getRemoteAddr();
        if (peer == null || !trustedProxies.contains(peer)) {
            return Optional.ofNullable(peer);
        }
        List<String> hops = new ArrayList<>();
        for (String header : Collections.list(request.getHeaders(FORWARDED_FOR))) {
            for (String hop : header.split(",")) {
                if (!hop.isBlank()) {
                    hops.add(hop.strip());
                }
            }
        }
        String client = peer;
        for (int i = hops.size() - 1; i >= 0 && trustedProxies.contains(client); i--) {
            client = hops.get(i);
        }
        return Optional.of(client);
    }
}
