package org.gridgov.grid;

import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.ext.web.RoutingContext;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Map;
import javax.sql.DataSource;
import org.gridgov.analytics.IncidentPoints;
import org.gridgov.api.Handlers;
import org.gridgov.api.Problem;
import org.gridgov.api.ProblemException;
import org.gridgov.geo.Crs;
import org.gridgov.people.Access;
import org.gridgov.people.Role;
import org.gridgov.rebalance.HandlingTimes;
import org.gridgov.rebalance.UnitGraph;
import org.gridgov.rebalance.UnitWorkloads;
import org.gridgov.rebalance.WorkloadModel;

/**
 * What the planning endpoints share: the database, the plan timeline, the workload model, the
 * clock, the in-memory incident points with their category weights (null: read the table), and the
 * planar CRS (GRIDGOV_PLANAR_SRID) every area, length and compactness is measured in.
 */
public record Planning(
        DataSource ds,
        PlanTimeline plans,
        WorkloadModel model,
        Clock clock,
        IncidentPoints points,
        Map<String, Double> weights,
        int planarSrid) {

    public Planning(
            DataSource ds, PlanTimeline plans, WorkloadModel model, Clock clock, int planarSrid) {
        this(ds, plans, model, clock, null, Map.of(), planarSrid);
    }

    /** The unit graph, measured in the planar CRS. */
    public UnitGraph graph() throws SQLException {
        return UnitGraph.load(ds, planarSrid);
    }

    /**
     * The unit graph of one subdistrict's plans: its communities' units only (null: every unit). A
     * plan of one subdistrict is edited, validated, compared and rebalanced over these alone.
     */
    public UnitGraph graph(Long subdistrictId) throws SQLException {
        UnitGraph all = graph();
        if (subdistrictId == null) return all;
        try (Connection c = ds.getConnection()) {
            return all.subset(PlanStore.communitiesOf(c, subdistrictId));
        }
    }

    /** The CRSs offered for import and export: the fixed ones and the planar one. */
    public java.util.List<Integer> offeredCrs() {
        return Crs.offered(planarSrid);
    }

    /**
     * The workload of one subdistrict's graph ({@link #graph(Long)}; null: every unit), weighed by
     * that subdistrict's measured handling times.
     */
    public UnitWorkloads workloads(UnitGraph g, Long subdistrictId, Window w) throws SQLException {
        if (points != null) {
            return UnitWorkloads.fromPoints(
                    points,
                    weights,
                    HandlingTimes.load(ds, model, w.from(), w.to(), subdistrictId),
                    g,
                    model,
                    w.from(),
                    w.to());
        }
        return UnitWorkloads.load(ds, g, model, w.from(), w.to(), subdistrictId);
    }

    /** A workload window: [from, to). */
    public record Window(Instant from, Instant to) {}

    /** from/to query parameters (ISO-8601 with offset); default: the model's window ending now. */
    public Window window(RoutingContext ctx) {
        Instant to = time(ctx, "to");
        Instant from = time(ctx, "from");
        if (to == null) to = clock.instant();
        if (from == null) from = to.minus(model.window());
        if (!from.isBefore(to))
            throw new ProblemException(
                    Problem.invalidParameter("from", "'from' must be before 'to'"));
        return new Window(from, to);
    }

    public Window defaultWindow() {
        Instant to = clock.instant();
        return new Window(to.minus(model.window()), to);
    }

    private static Instant time(RoutingContext ctx, String name) {
        String v = Handlers.param(ctx, name);
        if (v == null) return null;
        try {
            return OffsetDateTime.parse(v).toInstant();
        } catch (DateTimeParseException e) {
            throw new ProblemException(
                    Problem.invalidParameter(
                            name,
                            "'"
                                    + name
                                    + "' must be an ISO-8601 time with offset, e.g. 2026-01-01T00:00:00+08:00"));
        }
    }

    /** plan=active (the plan in effect now, the default) or a plan id that exists. */
    public long resolvePlan(Connection c, String planText) throws SQLException {
        return PlanStore.resolve(c, plans, clock.instant(), planText);
    }

    /** As {@link #resolvePlan(Connection, String)}, "active" being the subdistrict's plan. */
    public long resolvePlan(Connection c, String planText, Long subdistrictId) throws SQLException {
        return PlanStore.resolve(c, plans, clock.instant(), planText, subdistrictId);
    }

    /**
     * The subdistrict a new draft is for, as a request body's {@code subdistrictId} names it (a
     * plan created or imported): null when absent or null; 400 at /subdistrictId when it is not a
     * positive whole number. Whether it is a subdistrict the caller may plan for is the store's
     * check.
     */
    public static Long requestedSubdistrict(JsonNode body) {
        JsonNode sid = body.get("subdistrictId");
        if (sid == null || sid.isNull()) return null;
        if (!sid.isIntegralNumber() || sid.asLong() <= 0)
            throw new ProblemException(
                    Problem.invalidField(
                            "/subdistrictId", "'subdistrictId' must be a subdistrict's id"));
        return sid.asLong();
    }

    /**
     * The one place that decides who may change plans: planners (and admins). 401/403 otherwise.
     */
    public static void requirePlanner(RoutingContext ctx) {
        Access.requireAny(ctx, Role.PLANNERS);
    }
}
