package org.gridgov.api;

/** Thrown by handlers to answer with a problem; caught by {@link ApiRouter}'s failure handler. */
public final class ProblemException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final Problem problem;
    private final transient java.util.Map<String, Object> members;

    public ProblemException(Problem problem) {
        this(problem, java.util.Map.of());
    }

    /**
     * With extension members (RFC 9457 section 3.2) the client acts upon, e.g. the case's current
     * version after an action already applied.
     */
    public ProblemException(Problem problem, java.util.Map<String, Object> members) {
        super(problem.detail(), null, false, false);
        this.problem = problem;
        this.members = java.util.Map.copyOf(members);
    }

    public Problem problem() {
        return problem;
    }

    public java.util.Map<String, Object> members() {
        return members;
    }
}
