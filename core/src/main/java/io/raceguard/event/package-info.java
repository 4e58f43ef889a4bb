/**
 * What the primitives did, for metrics: a listener SPI that every primitive reports to.
 *
 * <p>A primitive is given a {@link io.raceguard.event.RaceguardListener} and a name of the user's
 * choosing when it is built; without one it reports to {@link io.raceguard.event.RaceguardListener#none()},
 * whose methods are empty, so a primitive nobody listens to pays one call the JIT inlines away. The
 * seam is a plain interface in core rather than Micrometer's Observation API so that core keeps no
 * dependency and no listener allocates a context per call; the {@code raceguard-micrometer} module
 * binds it to a {@code MeterRegistry}.
 *
 * <p>Events carry only low-cardinality facts: the primitive's name, its backend, the outcome and
 * durations. Never a key, an owner token or a payload. A listener that throws never breaks the
 * primitive: the failure is logged at DEBUG and the operation carries on. There is no global
 * registry: each primitive reports to the listener it was built with.
 */
package io.raceguard.event;
