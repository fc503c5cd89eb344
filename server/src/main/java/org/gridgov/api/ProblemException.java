package org.gridgov.api;

/** Thrown by handlers to answer with a problem; caught by {@link ApiRouter}'s failure handler. */
public final class ProblemException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final Problem problem;

    public ProblemException(Problem problem) {
        super(problem.detail(), null, false, false);
        this.problem = problem;
    }

    public Problem problem() {
        return problem;
    }
}
