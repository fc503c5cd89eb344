package org.gridgov.task;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;
import org.gridgov.api.Problem;
import org.gridgov.api.ProblemException;
import org.gridgov.api.Responses;
import org.gridgov.db.Jdbc;
import org.gridgov.roster.DutyRoster;
import org.gridgov.roster.DutyRule;
import org.gridgov.roster.GridPeople;
import org.gridgov.roster.GridPeopleQueries;

/**
 * Campaigns (专项行动, docs/tasks.md): one task per target, each assigned to the person on duty for its
 * grid, all in the transaction that creates the campaign; progress by grid or community.
 */
public final class CampaignStore {

    /** A created campaign: its id, how many tasks it made, how long that took. */
    public record Created(long id, int tasks, long millis) {}

    private static final String PLACE_TARGETS =
            """
            SELECT p.id, p.name, ST_X(p.geom), ST_Y(p.geom), g.id, g.community_id
            FROM place p
            JOIN grid_unit gu ON gu.unit_id = p.unit_id AND gu.plan_id = ANY (ARRAY(SELECT plans_in_effect()))
            JOIN grid g ON g.id = gu.grid_id
            WHERE p.active AND p.kind = ANY (?)
              AND (?::bigint IS NULL OR g.community_id = ?::bigint)
              AND (?::text IS NULL OR ST_Covers(ST_SetSRID(ST_GeomFromGeoJSON(?::text), 4326), p.geom))
            ORDER BY p.id""";

    private static final String UNIT_TARGETS =
            """
            SELECT u.id, u.code, ST_X(pt), ST_Y(pt), g.id, g.community_id
            FROM base_unit u CROSS JOIN LATERAL ST_PointOnSurface(u.geom) pt
            JOIN grid_unit gu ON gu.unit_id = u.id AND gu.plan_id = ANY (ARRAY(SELECT plans_in_effect()))
            JOIN grid g ON g.id = gu.grid_id
            WHERE u.land_use = ANY (?)
              AND (?::bigint IS NULL OR g.community_id = ?::bigint)
              AND (?::text IS NULL OR ST_Intersects(ST_SetSRID(ST_GeomFromGeoJSON(?::text), 4326), u.geom))
            ORDER BY u.id""";

    private static final String INSERT_TASK_BATCH =
            """
            INSERT INTO task (kind, title, campaign_id, target_type, unit_id, place_id, area, location,
                              grid_id, community_id, assignee_id, due_at, created_by, recheck_of,
                              recheck_incident_id)
            VALUES (?, ?, ?, ?, ?, ?, ST_Multi(ST_SetSRID(ST_GeomFromGeoJSON(?), 4326)),
                    ST_SetSRID(ST_MakePoint(?, ?), 4326), ?, ?, ?, ?, ?, ?, ?)""";

    private final DataSource ds;
    private final DutyRoster roster;

    public CampaignStore(DataSource ds, DutyRoster roster) {
        this.ds = ds;
        this.roster = roster;
    }

    public Created create(NewCampaign n, long createdBy) throws SQLException {
        long t0 = System.nanoTime();
        return Jdbc.inTransaction(
                ds,
                c -> {
                    if (n.communityId() != null) community(c, n.communityId());
                    long id;
                    try (PreparedStatement ps =
                            c.prepareStatement(
                                    """
                            INSERT INTO campaign (name, kind, target_type, place_kinds, land_uses,
                                                  community_id, area, starts_at, ends_at, created_by)
                            VALUES (?, ?, ?, ?, ?, ?, ST_Multi(ST_SetSRID(ST_GeomFromGeoJSON(?), 4326)),
                                    ?, ?, ?)
                            RETURNING id""")) {
                        ps.setString(1, n.name());
                        ps.setString(2, n.kind().name());
                        ps.setString(3, n.targetType().name());
                        ps.setArray(4, array(c, n.placeKinds()));
                        ps.setArray(5, array(c, n.landUses()));
                        TaskStore.setLong(ps, 6, n.communityId());
                        ps.setString(7, n.area());
                        ps.setObject(8, n.startsAt());
                        ps.setObject(9, n.endsAt());
                        ps.setLong(10, createdBy);
                        try (ResultSet rs = ps.executeQuery()) {
                            rs.next();
                            id = rs.getLong(1);
                        }
                    }
                    TaskStore.insertItems(c, id, null, n.checks());
                    List<Target> targets = targets(c, n);
                    if (targets.isEmpty())
                        throw new ProblemException(
                                Problem.of(
                                        422,
                                        "no-targets",
                                        "The campaign has no targets",
                                        "no "
                                                + (n.targetType() == TargetType.PLACE
                                                        ? "active places of kinds " + n.placeKinds()
                                                        : "base units of land uses " + n.landUses())
                                                + " lie in the grids"
                                                + (n.communityId() != null || n.area() != null
                                                        ? " of the community or area given"
                                                        : " of the plan in effect"),
                                        "/target"));
                    // assigned by grid: who is on duty for each grid when the campaign starts
                    Instant at =
                            n.startsAt().toInstant().isAfter(Instant.now())
                                    ? n.startsAt().toInstant()
                                    : Instant.now();
                    Map<Long, Long> assignee = new HashMap<>();
                    try (PreparedStatement ps = c.prepareStatement(INSERT_TASK_BATCH)) {
                        for (Target t : targets) {
                            if (!assignee.containsKey(t.gridId())) {
                                GridPeople people = GridPeopleQueries.of(c, t.gridId());
                                assignee.put(
                                        t.gridId(),
                                        DutyRule.onDuty(people, at, roster.book()).staffId());
                            }
                            TaskStore.bindTask(
                                    ps,
                                    n.kind(),
                                    TaskStore.clip(n.name() + " — " + t.name()),
                                    id,
                                    t,
                                    assignee.get(t.gridId()),
                                    n.endsAt(),
                                    createdBy,
                                    null,
                                    null);
                            ps.addBatch();
                        }
                        ps.executeBatch();
                    }
                    return new Created(id, targets.size(), (System.nanoTime() - t0) / 1_000_000);
                });
    }

    private static void community(Connection c, long id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM community WHERE id = ?")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next())
                    throw new ProblemException(
                            Problem.invalidField("/communityId", "no community " + id));
            }
        }
    }

    private static List<Target> targets(Connection c, NewCampaign n) throws SQLException {
        List<Target> out = new ArrayList<>();
        boolean place = n.targetType() == TargetType.PLACE;
        try (PreparedStatement ps = c.prepareStatement(place ? PLACE_TARGETS : UNIT_TARGETS)) {
            ps.setArray(1, array(c, place ? n.placeKinds() : n.landUses()));
            TaskStore.setLong(ps, 2, n.communityId());
            TaskStore.setLong(ps, 3, n.communityId());
            ps.setString(4, n.area());
            ps.setString(5, n.area());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next())
                    out.add(
                            new Target(
                                    n.targetType(),
                                    rs.getLong(1),
                                    rs.getString(2),
                                    rs.getDouble(3),
                                    rs.getDouble(4),
                                    null,
                                    rs.getLong(5),
                                    rs.getLong(6),
                                    GridPeople.NOBODY));
            }
        }
        return out;
    }

    private static Array array(Connection c, List<String> l) throws SQLException {
        return l == null ? null : c.createArrayOf("text", l.toArray());
    }

    private static final String CAMPAIGN_COLUMNS =
            """
            SELECT k.id, k.name, k.kind, k.target_type, k.place_kinds, k.land_uses, k.community_id,
                   k.starts_at, k.ends_at, k.created_by, k.created_at,
                   (SELECT count(*) FROM task t WHERE t.campaign_id = k.id AND t.kind <> 'RECHECK'
                      AND t.state <> 'CANCELLED'),
                   (SELECT count(*) FROM task t WHERE t.campaign_id = k.id AND t.kind <> 'RECHECK'
                      AND t.state = 'DONE')
            FROM campaign k""";

    /** The campaigns, newest first, with their targets and how many are done. */
    public ObjectNode list() throws SQLException {
        ObjectNode n = Responses.JSON.createObjectNode();
        ArrayNode arr = n.putArray("campaigns");
        try (Connection c = ds.getConnection();
                PreparedStatement ps =
                        c.prepareStatement(CAMPAIGN_COLUMNS + " ORDER BY k.id DESC LIMIT 500");
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) arr.add(campaign(rs));
        }
        return n;
    }

    public Optional<ObjectNode> find(long id) throws SQLException {
        try (Connection c = ds.getConnection();
                PreparedStatement ps = c.prepareStatement(CAMPAIGN_COLUMNS + " WHERE k.id = ?")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(campaign(rs)) : Optional.empty();
            }
        }
    }

    private static ObjectNode campaign(ResultSet rs) throws SQLException {
        ObjectNode o = Responses.JSON.createObjectNode();
        o.put("id", rs.getLong(1));
        o.put("name", rs.getString(2));
        o.put("kind", rs.getString(3));
        ObjectNode target = o.putObject("target");
        target.put("type", rs.getString(4));
        Array kinds = rs.getArray(5), uses = rs.getArray(6);
        if (kinds != null) {
            ArrayNode a = target.putArray("placeKinds");
            for (String s : (String[]) kinds.getArray()) a.add(s);
        }
        if (uses != null) {
            ArrayNode a = target.putArray("landUses");
            for (String s : (String[]) uses.getArray()) a.add(s);
        }
        Long community = TaskStore.getLong(rs, 7);
        if (community == null) o.putNull("communityId");
        else o.put("communityId", community);
        o.put(
                "startsAt",
                TaskStore.utc(rs.getObject(8, java.time.OffsetDateTime.class)).toString());
        o.put("endsAt", TaskStore.utc(rs.getObject(9, java.time.OffsetDateTime.class)).toString());
        o.put("createdBy", rs.getLong(10));
        o.put(
                "createdAt",
                TaskStore.utc(rs.getObject(11, java.time.OffsetDateTime.class)).toString());
        o.put("targets", rs.getLong(12));
        o.put("done", rs.getLong(13));
        return o;
    }

    /** How the campaign stands, by grid or by community. */
    public enum By {
        GRID,
        COMMUNITY
    }

    public ObjectNode progress(long id, By by) throws SQLException {
        ObjectNode campaign =
                find(id).orElseThrow(
                                () ->
                                        new ProblemException(
                                                Problem.notFound(
                                                        "campaign " + id + " does not exist")));
        String key =
                by == By.GRID
                        ? "t.grid_id, (SELECT g.code FROM grid g WHERE g.id = t.grid_id),"
                                + " (SELECT g.name FROM grid g WHERE g.id = t.grid_id)"
                        : "t.community_id, (SELECT m.code FROM community m WHERE m.id = t.community_id),"
                                + " (SELECT m.name FROM community m WHERE m.id = t.community_id)";
        String sql =
                """
                SELECT %s,
                       count(*),
                       count(*) FILTER (WHERE t.state = 'DONE'),
                       count(*) FILTER (WHERE t.state = 'DONE' AND t.completed_at <= t.due_at),
                       count(*) FILTER (WHERE t.state = 'OPEN' AND t.due_at < now()),
                       coalesce(sum(f.failed), 0)
                FROM task t
                LEFT JOIN (SELECT task_id, count(*) FILTER (WHERE NOT passed) AS failed
                           FROM task_answer GROUP BY task_id) f ON f.task_id = t.id
                WHERE t.campaign_id = ? AND t.kind <> 'RECHECK' AND t.state <> 'CANCELLED'
                GROUP BY 1 ORDER BY 2"""
                        .formatted(key);
        ObjectNode n = Responses.JSON.createObjectNode();
        n.set("campaign", campaign);
        n.put("by", by.name().toLowerCase());
        ArrayNode rows = n.putArray("rows");
        long[] total = new long[5];
        try (Connection c = ds.getConnection();
                PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ObjectNode r = rows.addObject();
                    r.put(by == By.GRID ? "gridId" : "communityId", rs.getLong(1));
                    r.put("code", rs.getString(2));
                    r.put("name", rs.getString(3));
                    long[] v = new long[5];
                    for (int i = 0; i < 5; i++) {
                        v[i] = rs.getLong(4 + i);
                        total[i] += v[i];
                    }
                    figures(r, v);
                }
            }
        }
        figures(n.putObject("total"), total);
        return n;
    }

    private static void figures(ObjectNode r, long[] v) {
        r.put("targets", v[0]);
        r.put("done", v[1]);
        r.put("onTime", v[2]);
        r.put("overdue", v[3]);
        r.put("failedChecks", v[4]);
        // coverage: the share of targets visited (done), 0 to 1
        r.put("coverage", v[0] == 0 ? 0.0 : Math.round(1000.0 * v[1] / v[0]) / 1000.0);
    }
}
