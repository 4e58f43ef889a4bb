package io.raceguard.web;

/** A request the filter refuses before it reaches the store; carries the problem to answer with. */
final class BadRequestException extends Exception {

    private static final long serialVersionUID = 1L;

    private final transient Problem problem;

    BadRequestException(Problem problem) {
        super(problem.detail(), null, false, false);
        this.problem = problem;
    }

    Problem problem() {
        return problem;
    }
}
