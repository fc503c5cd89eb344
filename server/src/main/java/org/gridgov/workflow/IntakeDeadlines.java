package org.gridgov.workflow;

import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.gridgov.incident.FirstStep;
import org.gridgov.incident.IncidentReport;
import org.gridgov.incident.Routing;
import org.gridgov.workflow.DeadlineRules.StepClock;

/** Starts a new report's acceptance clock at intake, in memory (no extra round trip). */
public final class IntakeDeadlines implements FirstStep.Planner {

    private final DeadlineRules rules;
    private final Clock clock;

    public IntakeDeadlines(DeadlineRules rules, Clock clock) {
        this.rules = rules;
        this.clock = clock;
    }

    @Override
    public FirstStep plan(IncidentReport r, Routing routing) {
        if (routing.transferred()) return null;
        StepClock c =
                rules.at(r.reportedAt().toInstant())
                        .plan(
                                r.category().code(),
                                routing.platform(),
                                r.category().urgency(),
                                Step.ACCEPT,
                                clock.instant());
        return new FirstStep(
                Step.ACCEPT.name(), utc(c.dueAt()), utc(c.remindAt()), utc(c.escalateAt()));
    }

    private static OffsetDateTime utc(Instant t) {
        return t == null ? null : t.atOffset(ZoneOffset.UTC);
    }
}
