package org.gridgov.workflow;

/**
 * What a handler may ask the centre for while a case is in hand (case_exception.kind, the
 * "pendingRequest" of GET /api/v1/incidents/{id}/actions): more time, to give the case back, or to
 * park it. Each is one request action; its events are KIND_REQUESTED, _APPROVED and _DENIED.
 */
public enum ExceptionKind {
    EXTENSION(CaseAction.REQUEST_EXTENSION),
    RETURN(CaseAction.REQUEST_RETURN),
    PARKING(CaseAction.REQUEST_PARKING);

    /** The action that asks for it. */
    public final CaseAction request;

    ExceptionKind(CaseAction request) {
        this.request = request;
    }

    /** The kind a request action asks for, or null when the action is no request. */
    public static ExceptionKind requestedBy(CaseAction a) {
        for (ExceptionKind k : values()) if (k.request == a) return k;
        return null;
    }

    /** The event type of the request, its approval or its denial. */
    String event(String what) {
        return name() + "_" + what;
    }
}
