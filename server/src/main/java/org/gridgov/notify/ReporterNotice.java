package org.gridgov.notify;

/**
 * The moments a reporter is told of their case: the outbox rows' {@code kind} for the SMS and
 * e-mail channels (written by the trigger on case events, V20), with the state each message's
 * subject names.
 */
public enum ReporterNotice {
    RECEIVED("已受理"),
    DISPATCHED("已派发"),
    RESOLVED("已处置"),
    CLOSED("已办结，请评价");

    /** The state as the subject line says it. */
    final String state;

    ReporterNotice(String state) {
        this.state = state;
    }

    /**
     * The notice a row's kind names.
     *
     * @throws IllegalArgumentException for a kind that is no reporter notice (the worker marks the
     *     row dead)
     */
    public static ReporterNotice of(String kind) {
        for (ReporterNotice n : values()) if (n.name().equals(kind)) return n;
        throw new IllegalArgumentException("no message for '" + kind + "'");
    }
}
