package org.gridgov.patrol;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.gridgov.api.Handlers;
import org.gridgov.api.JsonBody;
import org.gridgov.api.Problem;
import org.gridgov.api.ProblemException;
import org.gridgov.api.QueryParams;
import org.gridgov.api.Responses;
import org.gridgov.api.TimeWindow;
import org.gridgov.people.Access;
import org.gridgov.people.Principal;
import org.gridgov.people.Role;
import org.gridgov.area.Jurisdictions;
import org.gridgov.geo.GeoJsonQuery;
import org.gridgov.grid.PlanTimeline;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;

/**
 * Patrols and responders: position uploads, tracks, coverage per grid, gaps, and the nearest
 * responders of an incident by road travel time.
 */
public final class PatrolRoutes {

    static final double DEFAULT_DISTANCE_M = 50;
    /** Who sends people to a case: the command centre and the platforms' commanders. */
    static final java.util.Set<Role> RESPONDER_VIEWERS = java.util.EnumSet.of(Role.CENTRE_OPERATOR, Role.CENTRE_DIRECTOR,
            Role.CHIEF_COMMANDER, Role.PLATFORM_COMMANDER, Role.ADMIN);

    private final DataSource ds;
    private final Jurisdictions areas;
    private final PlanTimeline plans;
    private final Clock clock;

    public PatrolRoutes(DataSource ds, Jurisdictions areas, PlanTimeline plans, Clock clock) {
        this.ds = ds;
        this.areas = areas;
        this.plans = plans;
        this.clock = clock;
    }

    public void mount(Router router) {
        router.post("/api/v1/staff/:id/positions").handler(this::upload);
        router.get("/api/v1/staff/:id/track").handler(this::track);
        router.get("/api/v1/analytics/patrol-coverage").handler(this::coverage);
        router.get("/api/v1/analytics/patrol-gaps").handler(this::gaps);
        router.get("/api/v1/incidents/:id/responders").handler(this::responders);
    }

    private void upload(RoutingContext ctx) {
        long staffId = Handlers.pathId(ctx, "id");
        Principal caller = Access.require(ctx);
        // A phone uploads its own owner's track; nobody writes positions for someone else.
        if (caller.staffId() != staffId && !caller.has(Role.ADMIN)) {
            throw Access.forbidden("you are staff member " + caller.staffId() + "; positions of " + staffId + " come from their own phone");
        }
        PositionBatch batch = PositionBatch.parse(JsonBody.object(ctx.body().buffer()), clock);
        for (int k = 0; k < batch.positions().size(); k++) {
            var p = batch.positions().get(k);
            if (areas.locate(p.lon(), p.lat()) == Jurisdictions.Where.OUTSIDE) {
                throw new ProblemException(Problem.of(422, "out-of-area", "A position is outside the service area",
                        "(" + p.lon() + ", " + p.lat() + ") lies outside " + areas.districtName(), "/positions"));
            }
        }
        Handlers.blocking(ctx, () -> {
            try (Connection c = ds.getConnection()) {
                requireStaff(c, staffId);
                List<PositionBatch.Position> ps = batch.positions();
                int n = ps.size();
                Timestamp[] at = new Timestamp[n];
                Double[] lon = new Double[n], lat = new Double[n];
                Float[] acc = new Float[n];
                for (int k = 0; k < n; k++) {
                    at[k] = Timestamp.from(ps.get(k).at().toInstant());
                    lon[k] = ps.get(k).lon();
                    lat[k] = ps.get(k).lat();
                    acc[k] = ps.get(k).accuracy();
                }
                try (PreparedStatement st = c.prepareStatement(PatrolSql.INSERT)) {
                    st.setLong(1, staffId);
                    st.setArray(2, c.createArrayOf("timestamptz", at));
                    st.setArray(3, c.createArrayOf("float8", lon));
                    st.setArray(4, c.createArrayOf("float8", lat));
                    st.setArray(5, c.createArrayOf("float4", acc));
                    int stored = st.executeUpdate();
                    ObjectNode r = Responses.JSON.createObjectNode();
                    r.put("staffId", staffId);
                    r.put("received", n);
                    r.put("stored", stored);
                    r.put("duplicates", n - stored);
                    return r;
                }
            }
        }, (c, r) -> Responses.json(c, 200, r));
    }

    private void track(RoutingContext ctx) {
        long staffId = Handlers.pathId(ctx, "id");
        Principal caller = Access.require(ctx);
        if (caller.staffId() != staffId && !caller.hasAny(Role.SEES_STAFF)) {
            throw Access.forbidden("a track is seen by its owner and by those who may see staff " + Role.SEES_STAFF);
        }
        TimeWindow window = TimeWindow.parse(ctx, clock, Duration.ofDays(1));
        Handlers.blocking(ctx, () -> {
            try (Connection c = ds.getConnection()) {
                requireStaff(c, staffId);
            }
            return GeoJsonQuery.run(ds, PatrolSql.TRACK, ps -> {
                ps.setLong(1, staffId);
                ps.setLong(2, staffId);
                ps.setObject(3, window.from());
                ps.setObject(4, window.to());
            });
        }, Responses::geoJson);
    }

    private void coverage(RoutingContext ctx) {
        Access.requireAny(ctx, Role.SEES_KPIS);
        TimeWindow window = TimeWindow.parse(ctx, clock, Duration.ofDays(7));
        double distance = QueryParams.number(ctx, "distance", 5, 500, DEFAULT_DISTANCE_M);
        Long grid = QueryParams.positiveLong(ctx, "grid");
        Handlers.blocking(ctx, () -> GeoJsonQuery.run(ds, PatrolSql.COVERAGE, ps -> {
            ps.setObject(1, grid);
            ps.setObject(2, grid);
            ps.setObject(3, window.from());
            ps.setObject(4, window.to());
            ps.setDouble(5, distance);
            ps.setDouble(6, distance);
        }), Responses::geoJson);
    }

    private void gaps(RoutingContext ctx) {
        Access.require(ctx);
        int days = QueryParams.whole(ctx, "days", 1, 365, 7);
        double distance = QueryParams.number(ctx, "distance", 5, 500, DEFAULT_DISTANCE_M);
        Long grid = QueryParams.positiveLong(ctx, "grid");
        OffsetDateTime to = QueryParams.time(ctx, "to");
        OffsetDateTime asOf = to == null ? OffsetDateTime.now(clock) : to;
        Handlers.blocking(ctx, () -> {
            long planId = plans.periodAt(asOf.toInstant()).map(PlanTimeline.Period::planId)
                    .orElseThrow(() -> new ProblemException(Problem.invalidParameter("to", "no grid plan was in effect at " + asOf)));
            return GeoJsonQuery.run(ds, PatrolSql.GAPS, ps -> {
                ps.setObject(1, asOf);
                ps.setInt(2, days);
                ps.setObject(3, asOf);
                ps.setObject(4, asOf);
                ps.setDouble(5, distance);
                ps.setDouble(6, distance);
                ps.setLong(7, planId);
                ps.setObject(8, grid);
                ps.setObject(9, grid);
                ps.setDouble(10, distance);
                ps.setDouble(11, distance);
            });
        }, Responses::geoJson);
    }

    private void responders(RoutingContext ctx) {
        Access.requireAny(ctx, RESPONDER_VIEWERS);
        long incidentId = Handlers.pathId(ctx, "id");
        int limit = QueryParams.whole(ctx, "limit", 1, 50, 5);
        int maxAge = QueryParams.whole(ctx, "maxAgeMinutes", 1, 7 * 24 * 60, 8 * 60);
        Instant now = Instant.now(clock);
        Handlers.blocking(ctx, () -> {
            try (Connection c = ds.getConnection()) {
                try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM incident WHERE id = ?")) {
                    ps.setLong(1, incidentId);
                    try (ResultSet rs = ps.executeQuery()) {
                        if (!rs.next()) throw new ProblemException(Problem.notFound("incident " + incidentId + " does not exist"));
                    }
                }
                ObjectNode root = Responses.JSON.createObjectNode();
                root.put("incidentId", incidentId);
                ArrayNode list = root.putArray("responders");
                try (PreparedStatement ps = c.prepareStatement(PatrolSql.RESPONDERS)) {
                    ps.setLong(1, incidentId);
                    ps.setTimestamp(2, Timestamp.from(now.minus(Duration.ofMinutes(maxAge))));
                    ps.setTimestamp(3, Timestamp.from(now.plus(PositionBatch.CLOCK_SKEW)));
                    ps.setInt(4, limit);
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            ObjectNode r = list.addObject();
                            r.put("staffId", rs.getLong(1));
                            r.put("name", rs.getString(2));
                            r.put("role", rs.getString(3));
                            r.put("platform", rs.getString(4));
                            ObjectNode pos = r.putObject("position");
                            pos.put("type", "Point");
                            pos.putArray("coordinates").add(rs.getDouble(5)).add(rs.getDouble(6));
                            r.put("positionAt", rs.getObject(7, OffsetDateTime.class).toString());
                            r.put("travelSeconds", rs.getDouble(10));
                            r.put("straightLineMetres", rs.getDouble(11));
                            r.set("route", route(c, rs.getLong(8), rs.getLong(9)));
                        }
                    }
                }
                return root;
            }
        }, (c, root) -> Responses.json(c, 200, root));
    }

    private static com.fasterxml.jackson.databind.JsonNode route(Connection c, long from, long to) throws SQLException {
        if (from == to) return Responses.JSON.nullNode();
        try (PreparedStatement ps = c.prepareStatement(PatrolSql.ROUTE)) {
            ps.setLong(1, from);
            ps.setLong(2, to);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                String json = rs.getString(1);
                return json == null ? Responses.JSON.nullNode() : Responses.JSON.readTree(json);
            } catch (java.io.IOException e) {
                throw new SQLException("unreadable route geometry", e);
            }
        }
    }

    private static void requireStaff(Connection c, long staffId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(PatrolSql.STAFF_EXISTS)) {
            ps.setLong(1, staffId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) throw new ProblemException(Problem.notFound("staff member " + staffId + " does not exist"));
            }
        }
    }
}
