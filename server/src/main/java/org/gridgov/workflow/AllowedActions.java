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
        List<CaseAction> actions,
        List<SubtaskOffer> subtasks) {

    /** What the person may do to one subtask of a coordinated case now. */
    public record SubtaskOffer(long subtaskId, String platform, List<SubtaskAction> actions) {}

    /** The subtask actions on offer: the case being coordinated, the person's right, the state. */
    static List<SubtaskOffer> subtaskOffers(
            Principal p, CaseRow row, List<Subtasks.Subtask> subtasks) {
        List<SubtaskOffer> out = new ArrayList<>();
        if (row.status() != CaseStatus.COORDINATION) return out;
        for (Subtasks.Subtask st : subtasks) {
            List<SubtaskAction> acts = new ArrayList<>();
            for (SubtaskAction a : SubtaskAction.values())
                if (SubtaskPolicy.may(p, a, st) && a.target(st.state()).isPresent()) acts.add(a);
            if (!acts.isEmpty())
                out.add(new SubtaskOffer(st.id(), st.platform(), List.copyOf(acts)));
        }
        return out;
    }

    /** With the subtask actions on offer. */
    AllowedActions withSubtasks(List<SubtaskOffer> offers) {
        return new AllowedActions(
                incidentId, version, status, inScope, pendingRequest, actions, offers);
    }

    /** Without the actions the case's data refuses (the engine's checks beyond the state). */
    AllowedActions without(java.util.function.Predicate<CaseAction> refused) {
        List<CaseAction> kept = new ArrayList<>(actions);
        kept.removeIf(refused);
        return new AllowedActions(
                incidentId, version, status, inScope, pendingRequest, List.copyOf(kept), subtasks);
    }

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
                row.id(),
                row.version(),
                row.status(),
                inScope,
                pendingKind,
                List.copyOf(out),
                List.of());
    }
}
