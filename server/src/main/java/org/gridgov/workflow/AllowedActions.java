package org.gridgov.workflow;

import java.util.ArrayList;
import java.util.List;
import org.gridgov.cases.CaseStatus;
import org.gridgov.people.Principal;

/**
 * The actions a person may take on a case right now — what a screen offers as buttons, so it never
 * shows one the engine would refuse. The same checks as {@link CaseEngine#apply}, in the same order
 * (scope, role, state), plus what depends on the case's data: approve/deny only while an exception
 * request is pending, a new request only while none is, rate only once, resolve only when every
 * subtask of a coordinated case is done.
 */
public record AllowedActions(
        long incidentId,
        int version,
        CaseStatus status,
        boolean inScope,
        ExceptionKind pendingRequest,
        List<CaseAction> actions) {

    public static AllowedActions of(Principal p, CaseRow row, ExceptionKind pendingKind) {
        return of(p, row, pendingKind, 0);
    }

    /** With the number of the case's subtasks not done: resolve waits for them. */
    public static AllowedActions of(
            Principal p, CaseRow row, ExceptionKind pendingKind, int openSubtasks) {
        boolean inScope = ActionPolicy.sees(p, row);
        List<CaseAction> out = new ArrayList<>();
        if (inScope) {
            for (CaseAction a : CaseAction.values()) {
                if (!ActionPolicy.may(p, a, row) || !CaseFlow.allowed(row.status(), a)) continue;
                boolean pending = pendingKind != null;
                if ((a == CaseAction.APPROVE || a == CaseAction.DENY) && !pending) continue;
                if (a.isRequest() && pending) continue;
                if (a == CaseAction.RATE && row.satisfaction() != null) continue;
                if (a == CaseAction.RESOLVE && openSubtasks > 0) continue;
                out.add(a);
            }
        }
        return new AllowedActions(
                row.id(), row.version(), row.status(), inScope, pendingKind, List.copyOf(out));
    }
}
