package org.gridgov.workflow;

import org.gridgov.incident.FirstStep;
import org.gridgov.incident.IncidentReport;
import org.gridgov.incident.Routing;
import org.gridgov.workflow.DeadlineRules.StepClock;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

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
        StepClock c = rules.plan(r.category().code(), routing.platform(), r.category().urgency(), Step.ACCEPT, clock.instant());
        List<FirstStep.Timer> timers = new ArrayList<>(3);
        add(timers, "REMIND", c.remindAt());
        add(timers, "OVERDUE", c.dueAt());
        add(timers, "ESCALATE", c.escalateAt());
        return new FirstStep(Step.ACCEPT.name(), c.dueAt().atOffset(ZoneOffset.UTC), List.copyOf(timers));
    }

    private static void add(List<FirstStep.Timer> t, String kind, Instant at) {
        if (at != null) t.add(new FirstStep.Timer(kind, at.atOffset(ZoneOffset.UTC)));
    }
}
