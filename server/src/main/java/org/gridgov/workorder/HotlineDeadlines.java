package org.gridgov.workorder;

import java.time.OffsetDateTime;
import org.gridgov.incident.Channel;
import org.gridgov.incident.FirstStep;
import org.gridgov.incident.IncidentReport;
import org.gridgov.incident.IncidentRouter;
import org.gridgov.incident.Routing;

/**
 * Routes an order as intake routes a report (incident/IncidentRouter, the first step's clock), on
 * channel HOTLINE, then puts the hotline's deadlines in place of gridgov's: the sign-for deadline
 * is the acceptance step's, the completion deadline the case's {@code dueAt}. A reminder falls away
 * when it would come after the sign-for deadline, an escalation when it would come before.
 */
final class HotlineDeadlines implements CasePlan.Planner {

    private final IncidentRouter router;
    private final FirstStep.Planner firstStep;

    HotlineDeadlines(IncidentRouter router, FirstStep.Planner firstStep) {
        this.router = router;
        this.firstStep = firstStep;
    }

    @Override
    public CasePlan plan(WorkOrder o, double lon, double lat) {
        IncidentReport report =
                new IncidentReport(
                        o.category(),
                        Channel.HOTLINE,
                        lon,
                        lat,
                        description(o),
                        o.reportedAt(),
                        o.callerName(),
                        o.callerPhone());
        Routing r = router.route(report);
        Routing routing =
                new Routing(
                        r.planId(),
                        r.gridId(),
                        r.gridCode(),
                        r.communityId(),
                        r.platform(),
                        r.assigneeId(),
                        o.completeDueAt(),
                        r.jurisdiction(),
                        r.transferReason());
        return new CasePlan(report, routing, signFor(firstStep.plan(report, routing), o));
    }

    static FirstStep signFor(FirstStep f, WorkOrder o) {
        if (f == null) return null;
        OffsetDateTime due = o.signDueAt();
        OffsetDateTime remind =
                f.remindAt() != null && f.remindAt().isBefore(due) ? f.remindAt() : null;
        OffsetDateTime escalate =
                f.escalateAt() != null && f.escalateAt().isAfter(due) ? f.escalateAt() : null;
        return new FirstStep(f.step(), due, remind, escalate);
    }

    /** What the caller said, and the address they gave (the case has no address field). */
    static String description(WorkOrder o) {
        return o.address() == null ? o.text() : o.text() + "\n地址 (address): " + o.address();
    }
}
