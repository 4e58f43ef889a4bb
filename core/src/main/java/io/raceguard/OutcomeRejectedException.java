package io.raceguard;

import static java.util.Objects.requireNonNull;

/** Thrown by {@link Outcome#orElseThrow()} for a rejected outcome. */
public class OutcomeRejectedException extends RaceguardException {
    private static final long serialVersionUID = 1L;

    private final Rejection rejection;
    private final String detail;

    /**
     * @param rejection why the operation was refused
     * @param detail a human-readable detail, possibly empty
     */
    public OutcomeRejectedException(Rejection rejection, String detail) {
        super(detail.isEmpty() ? "rejected: " + rejection : "rejected: " + rejection + " (" + detail + ")");
        this.rejection = requireNonNull(rejection, "rejection");
        this.detail = detail;
    }

    /** @return why the operation was refused */
    public Rejection rejection() {
        return rejection;
    }

    /** @return the detail of the rejection, possibly empty */
    public String detail() {
        return detail;
    }
}
