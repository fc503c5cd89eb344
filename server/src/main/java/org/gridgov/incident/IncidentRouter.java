package org.gridgov.incident;

import java.time.OffsetDateTime;
import org.gridgov.api.Problem;
import org.gridgov.api.ProblemException;
import org.gridgov.area.Jurisdictions;
import org.gridgov.grid.GridCell;
import org.gridgov.grid.GridIndex;
import org.gridgov.grid.PlanTimeline;
import org.gridgov.roster.DutyBook;
import org.gridgov.roster.DutyRoster;
import org.gridgov.roster.DutyRule;

/**
 * Decides, in memory, which grid, community, platform and grid worker answer for a report: the grid
 * of the plan in effect at the report time that covers the point; the platform of the category; who
 * is on duty for the grid at the report time (roster/DutyRule over the rosters and leave held in
 * memory); the due time from the category's deadline.
 */
public final class IncidentRouter {

    static final String OUTSIDE_SUBDISTRICT = "OUTSIDE_SUBDISTRICT";
    static final String DISTRICT_AUTHORITY = "DISTRICT_AUTHORITY";

    private final Jurisdictions areas;
    private final PlanTimeline plans;
    private final DutyRoster roster;

    public IncidentRouter(Jurisdictions areas, PlanTimeline plans, DutyRoster roster) {
        this.areas = areas;
        this.plans = plans;
        this.roster = roster;
    }

    /** Without rosters: every named person is available (tests of intake alone). */
    public IncidentRouter(Jurisdictions areas, PlanTimeline plans) {
        this(areas, plans, DutyRoster.fixed(DutyBook.EMPTY));
    }

    public Routing route(IncidentReport r) {
        // Calendar hours for now; working-time calendars come with the case workflow.
        OffsetDateTime due = r.reportedAt().plusHours(r.category().deadlineHours());
        String platform = r.category().platform();
        Jurisdictions.Where where = areas.locate(r.lon(), r.lat());
        if (where == Jurisdictions.Where.OUTSIDE) {
            throw new ProblemException(
                    Problem.of(
                            422,
                            "out-of-area",
                            "The location is outside the service area",
                            areas.outsideDetail(r.lon(), r.lat())
                                    + (areas.hasBoundary()
                                            ? "; reports are taken for "
                                                    + areas.subdistrictName()
                                                    + " and passed on within "
                                                    + areas.districtName()
                                            : ""),
                            "/location"));
        }
        if (where == Jurisdictions.Where.DISTRICT) {
            return new Routing(
                    null, null, null, null, platform, null, due, "DISTRICT", OUTSIDE_SUBDISTRICT);
        }
        // every subdistrict's plan in effect at the report time, in one index
        if (plans.periodsAt(r.reportedAt().toInstant()).isEmpty())
            throw new ProblemException(
                    Problem.invalidField(
                            "/reportedAt",
                            "no grid plan was in effect at "
                                    + r.reportedAt()
                                    + (plans.periods().isEmpty()
                                            ? "; no plan has been adopted yet"
                                            : "; the first took effect "
                                                    + plans.periods().get(0).from())));
        GridIndex index = plans.indexAt(r.reportedAt().toInstant());
        GridIndex.Hit hit =
                index.find(r.lon(), r.lat())
                        .orElseThrow(
                                () ->
                                        new IllegalStateException(
                                                "plans "
                                                        + index.planIds()
                                                        + " leave ("
                                                        + r.lon()
                                                        + ", "
                                                        + r.lat()
                                                        + ") inside the subdistrict without a grid:"
                                                        + " validate the plan"));
        GridCell g = hit.cell();
        if (r.category().districtAuthority()) {
            return new Routing(
                    hit.planId(),
                    g.id(),
                    g.code(),
                    g.communityId(),
                    platform,
                    null,
                    due,
                    "DISTRICT",
                    DISTRICT_AUTHORITY);
        }
        return new Routing(
                hit.planId(),
                g.id(),
                g.code(),
                g.communityId(),
                platform,
                DutyRule.onDuty(g.people(), r.reportedAt().toInstant(), roster.book()).staffId(),
                due,
                "SUBDISTRICT",
                null);
    }
}
