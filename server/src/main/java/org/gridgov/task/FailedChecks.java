package org.gridgov.task;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.gridgov.api.Problem;
import org.gridgov.api.ProblemException;
import org.gridgov.category.Category;
import org.gridgov.category.CategoryCatalog;
import org.gridgov.incident.Channel;
import org.gridgov.incident.EnteredBy;
import org.gridgov.incident.FirstStep;
import org.gridgov.incident.IncidentReport;
import org.gridgov.incident.IncidentRouter;
import org.gridgov.incident.IncidentStore;
import org.gridgov.incident.ReportSubjects;
import org.gridgov.incident.Routing;

/**
 * A failed check item becomes a report, routed and stored as any report is (incident's router, the
 * first step's clock, IncidentStore's intake on the completion's transaction): channel INSPECTION
 * for a special inspection (a campaign's task, or an INSPECTION), GRID_PATROL for the worker's own
 * visits; the item's category; the target's point, and the target place named as intake names it.
 */
final class FailedChecks implements TaskStore.FailedCheckReporter {

    private final IncidentStore incidents;
    private final IncidentRouter router;
    private final FirstStep.Planner firstStep;
    private final CategoryCatalog catalog;

    FailedChecks(
            IncidentStore incidents,
            IncidentRouter router,
            FirstStep.Planner firstStep,
            CategoryCatalog catalog) {
        this.incidents = incidents;
        this.router = router;
        this.firstStep = firstStep;
        this.catalog = catalog;
    }

    static Channel channel(Task t) {
        return t.campaignId() != null || t.kind() == TaskKind.INSPECTION
                ? Channel.INSPECTION
                : Channel.GRID_PATROL;
    }

    static String description(Task t, CheckItem item, Answer a) {
        String value = a.value() == null || a.value().isNull() ? "—" : a.value().toString();
        return TaskStore.clip(t.title() + " — " + t.targetName())
                + "\n检查项不合格 (failed check): "
                + item.label()
                + " = "
                + value
                + (item.rule().isEmpty() ? "" : " (" + item.rule() + ")")
                + "\n任务 (task) "
                + t.id();
    }

    @Override
    public long report(Connection c, Task t, CheckItem item, Answer a, EnteredBy by)
            throws SQLException {
        Category category =
                catalog.find(item.category())
                        .orElseThrow(
                                () ->
                                        new ProblemException(
                                                Problem.of(
                                                        422,
                                                        "unknown-category",
                                                        "The check item's category is gone",
                                                        "category "
                                                                + item.category()
                                                                + " of check item '"
                                                                + item.key()
                                                                + "' is no longer offered",
                                                        null)));
        IncidentReport report =
                new IncidentReport(
                        category,
                        channel(t),
                        t.lon(),
                        t.lat(),
                        description(t, item, a),
                        OffsetDateTime.now(ZoneOffset.UTC),
                        null,
                        null);
        Routing routing = router.route(report);
        // a task at a place names it on its incident, as a report naming the place does
        ReportSubjects.Named named =
                t.targetType() == TargetType.PLACE
                        ? ReportSubjects.Named.place(t.targetId())
                        : ReportSubjects.Named.NOTHING;
        return incidents
                .insert(c, report, routing, firstStep.plan(report, routing), by, named)
                .incident()
                .id();
    }
}
