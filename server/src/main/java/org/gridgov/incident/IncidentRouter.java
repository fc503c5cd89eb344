package org.gridgov.incident;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import org.gridgov.api.Problem;
import org.gridgov.api.ProblemException;
import org.gridgov.area.Jurisdictions;
import org.gridgov.grid.GridCell;
import org.gridgov.grid.PlanTimeline;
import org.gridgov.roster.DutyBook;
import org.gridgov.roster.DutyRoster;
import org.gridgov.roster.DutyRule;

/**
 * Decides, in memory, which grid, community, platform and grid worker answer for a report: first
 * the subdistrict whose area holds the point (area/Jurisdictions; the lowest code on a shared
 * boundary), then the grid of that subdistrict's plan in effect at the report time that covers the
 * point; a point in the district but in no subdistrict goes to the district (no grid, no community:
 * the case's subdistrict_id stays NULL); the platform of the category; who is on duty for the grid
 * at the report time (roster/DutyRule over the rosters and leave held in memory); the due time from
 * the category's deadline.
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
        // the subdistrict whose area holds the point (the lowest code on a shared boundary)
        Jurisdictions.Location where = areas.locate(r.lon(), r.lat());
        if (where.where() == Jurisdictions.Where.OUTSIDE) {
            throw new ProblemException(
                    Problem.of(
                            422,
                            "out-of-area",
                            "The location is outside the service area",
                            areas.outsideDetail(r.lon(), r.lat())
                                    + (!areas.hasBoundary()
                                            ? ""
                                            : areas.subdistricts().size() > 1
                                                    ? "; reports are taken anywhere within "
                                                            + areas.districtName()
                                                    : "; reports are taken for "
                                                            + areas.subdistrictName()
                                                            + " and passed on within "
                                                            + areas.districtName()),
                            "/location"));
        }
        // inside the district but in no subdistrict: the district's own case
        if (where.where() == Jurisdictions.Where.DISTRICT) {
            return new Routing(
                    null, null, null, null, platform, null, due, "DISTRICT", OUTSIDE_SUBDISTRICT);
        }
        Located at = locateInPlans(r, where.subdistrict());
        GridCell g = at.cell();
        long planId = at.planId();
        if (r.category().districtAuthority()) {
            return new Routing(
                    planId,
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
                planId,
                g.id(),
                g.code(),
                g.communityId(),
                platform,
                DutyRule.onDuty(g.people(), r.reportedAt().toInstant(), roster.book()).staffId(),
                due,
                "SUBDISTRICT",
                null);
    }

    /** A grid of a plan in effect. */
    private record Located(long planId, GridCell cell) {}

    /**
     * The grid that holds the point among the plans in effect at the report time (one per
     * subdistrict): the one of the point's own subdistrict (grid codes begin with the subdistrict's
     * code), else, with a single subdistrict whose codes need not match, any that holds it.
     */
    private Located locateInPlans(IncidentReport r, Jurisdictions.Subdistrict sub) {
        Instant t = r.reportedAt().toInstant();
        List<PlanTimeline.Period> inEffect =
                plans.periods().stream()
                        .filter(
                                p ->
                                        !t.isBefore(p.from())
                                                && (p.to() == null || t.isBefore(p.to())))
                        .toList();
        if (inEffect.isEmpty())
            throw new ProblemException(
                    Problem.invalidField(
                            "/reportedAt",
                            "no grid plan was in effect at "
                                    + r.reportedAt()
                                    + (plans.periods().isEmpty()
                                            ? "; no plan has been adopted yet"
                                            : "; the first took effect "
                                                    + plans.periods().get(0).from())));
        Located other = null;
        for (PlanTimeline.Period p : inEffect) {
            Optional<GridCell> cell = plans.index(p.planId()).locate(r.lon(), r.lat());
            if (cell.isEmpty()) continue;
            if (sub == null || cell.get().code().startsWith(sub.code()))
                return new Located(p.planId(), cell.get());
            if (other == null) other = new Located(p.planId(), cell.get());
        }
        if (other != null && areas.subdistricts().size() == 1) return other;
        if (other == null && inEffect.size() < areas.subdistricts().size())
            throw new ProblemException(
                    Problem.invalidField(
                            "/reportedAt",
                            "no grid plan of "
                                    + sub.name()
                                    + " ("
                                    + sub.code()
                                    + ") was in effect at "
                                    + r.reportedAt()
                                    + "; its reports are taken once its first plan is adopted"));
        if (other != null) return other; // a grid astride the boundary: the grid decides
        throw new IllegalStateException(
                "no plan in effect at "
                        + t
                        + " has a grid at ("
                        + r.lon()
                        + ", "
                        + r.lat()
                        + ") inside "
                        + sub.name()
                        + ": validate the plan");
    }
}
