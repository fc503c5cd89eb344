package org.gridgov.task;

import com.fasterxml.jackson.databind.JsonNode;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;
import org.gridgov.api.Problem;
import org.gridgov.api.ProblemException;
import org.gridgov.db.Jdbc;
import org.gridgov.incident.EnteredBy;
import org.gridgov.media.MediaQueries;
import org.gridgov.roster.DutyRoster;
import org.gridgov.roster.DutyRule;
import org.gridgov.roster.GridPeople;
import org.gridgov.roster.GridPeopleQueries;

/**
 * Tasks, their check items and answers (docs/tasks.md). Each change is one transaction: a task with
 * its items; a completion with its answers and the incidents its failed checks make (through
 * intake, on this transaction); a RECHECK for a closed incident.
 */
public final class TaskStore {

    /** What a new task is, decoded at the edge. */
    public record NewTask(
            TaskKind kind,
            String title,
            TargetType targetType,
            Long targetId,
            String area,
            OffsetDateTime dueAt,
            Long assigneeId,
            List<CheckItem> checks) {}

    /** Who may create a task for a target: throws (403) when the caller may not. */
    @FunctionalInterface
    public interface TargetCheck {
        void check(Target t);
    }

    /** A completion's outcome: done now, or the same Idempotency-Key replayed (nothing changed). */
    public sealed interface Outcome permits Done, Replayed {}

    public record Done(Task task) implements Outcome {}

    public record Replayed(Task task) implements Outcome {}

    /** Makes the incident of a failed check, on the completion's transaction; answers its id. */
    @FunctionalInterface
    public interface FailedCheckReporter {
        long report(Connection c, Task t, CheckItem item, Answer a, EnteredBy by)
                throws SQLException;
    }

    static final String TASK_COLUMNS =
            """
            t.id, t.kind, t.title, t.campaign_id, t.target_type, coalesce(t.unit_id, t.place_id),
            coalesce(p.name, u.code, t.title), ST_X(t.location), ST_Y(t.location), t.grid_id,
            t.community_id, t.assignee_id, t.due_at, t.state, t.version, t.created_at,
            t.completed_at, t.note, t.recheck_of, t.recheck_incident_id, t.incident_ids
            FROM task t LEFT JOIN place p ON p.id = t.place_id LEFT JOIN base_unit u ON u.id = t.unit_id
            """;

    private static final String UNIT_TARGET =
            """
            SELECT u.id, u.code, ST_X(pt), ST_Y(pt), NULL, g.id, g.community_id
            FROM base_unit u CROSS JOIN LATERAL ST_PointOnSurface(u.geom) pt
            LEFT JOIN grid_unit gu ON gu.unit_id = u.id AND gu.plan_id = ANY (ARRAY(SELECT plans_in_effect()))
            LEFT JOIN grid g ON g.id = gu.grid_id
            WHERE u.id = ?""";

    private static final String PLACE_TARGET =
            """
            SELECT p.id, p.name, ST_X(p.geom), ST_Y(p.geom), NULL, g.id, g.community_id
            FROM place p
            LEFT JOIN grid_unit gu ON gu.unit_id = p.unit_id AND gu.plan_id = ANY (ARRAY(SELECT plans_in_effect()))
            LEFT JOIN grid g ON g.id = gu.grid_id
            WHERE p.id = ? AND p.active""";

    private static final String AREA_TARGET =
            """
            WITH a AS (SELECT ST_Multi(ST_SetSRID(ST_GeomFromGeoJSON(?), 4326)) AS geom)
            SELECT NULL::bigint, NULL::text, ST_X(pt), ST_Y(pt), ST_AsGeoJSON(a.geom),
                   (SELECT g.id FROM grid g WHERE g.plan_id = ANY (ARRAY(SELECT plans_in_effect()))
                      AND ST_Covers(g.geom, pt) ORDER BY g.id LIMIT 1),
                   (SELECT g.community_id FROM grid g WHERE g.plan_id = ANY (ARRAY(SELECT plans_in_effect()))
                      AND ST_Covers(g.geom, pt) ORDER BY g.id LIMIT 1)
            FROM a CROSS JOIN LATERAL ST_PointOnSurface(a.geom) pt
            WHERE ST_IsValid(a.geom) AND NOT ST_IsEmpty(a.geom)""";

    private static final String INSERT_TASK =
            """
            INSERT INTO task (kind, title, campaign_id, target_type, unit_id, place_id, area, location,
                              grid_id, community_id, assignee_id, due_at, created_by, recheck_of,
                              recheck_incident_id)
            VALUES (?, ?, ?, ?, ?, ?, ST_Multi(ST_SetSRID(ST_GeomFromGeoJSON(?), 4326)),
                    ST_SetSRID(ST_MakePoint(?, ?), 4326), ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT DO NOTHING
            RETURNING id""";

    private static final String INSERT_ITEM =
            """
            INSERT INTO check_item (campaign_id, task_id, ord, key, label, type, required,
                                    photo_required, expected, min_value, max_value, category)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""";

    private final DataSource ds;
    private final DutyRoster roster;

    public TaskStore(DataSource ds, DutyRoster roster) {
        this.ds = ds;
        this.roster = roster;
    }

    DataSource dataSource() {
        return ds;
    }

    // ---------------------------------------------------------------- creating

    /** Creates a task for one target, assigned as dispatch assigns (or to the named person). */
    public Task create(NewTask n, TargetCheck allowed, long createdBy) throws SQLException {
        return Jdbc.inTransaction(
                ds,
                c -> {
                    Target t = resolve(c, n.targetType(), n.targetId(), n.area());
                    allowed.check(t);
                    Long assignee =
                            n.assigneeId() != null
                                    ? inScope(c, n.assigneeId(), t)
                                    : onDuty(t.people(), Instant.now());
                    long id =
                            insertTask(
                                    c, n.kind(), n.title(), null, t, assignee, n.dueAt(), createdBy,
                                    null, null);
                    insertItems(c, null, id, n.checks());
                    return find(c, id, false).orElseThrow();
                });
    }

    /** The target in the database, or 422 at {@code /target}. */
    static Target resolve(Connection c, TargetType type, Long id, String area) throws SQLException {
        String sql =
                switch (type) {
                    case UNIT -> UNIT_TARGET;
                    case PLACE -> PLACE_TARGET;
                    case AREA -> AREA_TARGET;
                };
        Target t;
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            if (type == TargetType.AREA) ps.setString(1, area);
            else ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next())
                    throw new ProblemException(
                            Problem.invalidField(
                                    type == TargetType.AREA ? "/target/area" : "/target/id",
                                    type == TargetType.AREA
                                            ? "the area is not a valid polygon"
                                            : "no "
                                                    + (type == TargetType.UNIT
                                                            ? "base unit "
                                                            : "active place ")
                                                    + id));
                Long gridId = getLong(rs, 6);
                t =
                        new Target(
                                type,
                                getLong(rs, 1),
                                rs.getString(2),
                                rs.getDouble(3),
                                rs.getDouble(4),
                                rs.getString(5),
                                gridId,
                                getLong(rs, 7),
                                GridPeople.NOBODY);
            }
        }
        if (t.gridId() == null)
            throw new ProblemException(
                    Problem.invalidField(
                            "/target",
                            "the target lies in no grid of the plan in effect (outside the"
                                    + " subdistrict's grids)"));
        return new Target(
                t.type(),
                t.id(),
                t.name(),
                t.lon(),
                t.lat(),
                t.area(),
                t.gridId(),
                t.communityId(),
                GridPeopleQueries.of(c, t.gridId()));
    }

    /**
     * The named assignee, when the target's grid is in their scope (their grid, their community or
     * the whole subdistrict); else 422 at {@code /assigneeId}.
     */
    static Long inScope(Connection c, long staffId, Target t) throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement(
                        "SELECT scope_type, grid_id, community_id, active FROM staff WHERE id = ?")) {
            ps.setLong(1, staffId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next() || !rs.getBoolean(4))
                    throw new ProblemException(
                            Problem.invalidField(
                                    "/assigneeId", "no active member of staff " + staffId));
                String scope = rs.getString(1);
                Long grid = getLong(rs, 2), community = getLong(rs, 3);
                boolean ok =
                        switch (scope) {
                            case "SUBDISTRICT" -> true;
                            case "GRID" -> t.gridId().equals(grid);
                            case "COMMUNITY" -> t.communityId().equals(community);
                            default -> false;
                        };
                if (!ok)
                    throw new ProblemException(
                            Problem.of(
                                    422,
                                    "assignee-out-of-scope",
                                    "The assignee does not answer for the target's grid",
                                    "member of staff "
                                            + staffId
                                            + " ("
                                            + scope.toLowerCase()
                                            + " scope) does not answer for grid "
                                            + t.gridId()
                                            + " of the target; name someone of that grid or"
                                            + " leave assigneeId out (the person on duty)",
                                    "/assigneeId"));
                return staffId;
            }
        }
    }

    private Long onDuty(GridPeople people, Instant at) {
        return DutyRule.onDuty(people, at, roster.book()).staffId();
    }

    static long insertTask(
            Connection c,
            TaskKind kind,
            String title,
            Long campaignId,
            Target t,
            Long assignee,
            OffsetDateTime dueAt,
            Long createdBy,
            Long recheckOf,
            Long recheckIncident)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(INSERT_TASK)) {
            bindTask(
                    ps,
                    kind,
                    title,
                    campaignId,
                    t,
                    assignee,
                    dueAt,
                    createdBy,
                    recheckOf,
                    recheckIncident);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : -1;
            }
        }
    }

    static void bindTask(
            PreparedStatement ps,
            TaskKind kind,
            String title,
            Long campaignId,
            Target t,
            Long assignee,
            OffsetDateTime dueAt,
            Long createdBy,
            Long recheckOf,
            Long recheckIncident)
            throws SQLException {
        int i = 1;
        ps.setString(i++, kind.name());
        ps.setString(i++, title);
        setLong(ps, i++, campaignId);
        ps.setString(i++, t.type().name());
        setLong(ps, i++, t.type() == TargetType.UNIT ? t.id() : null);
        setLong(ps, i++, t.type() == TargetType.PLACE ? t.id() : null);
        ps.setString(i++, t.type() == TargetType.AREA ? t.area() : null);
        ps.setDouble(i++, t.lon());
        ps.setDouble(i++, t.lat());
        setLong(ps, i++, t.gridId());
        setLong(ps, i++, t.communityId());
        setLong(ps, i++, assignee);
        ps.setObject(i++, dueAt);
        setLong(ps, i++, createdBy);
        setLong(ps, i++, recheckOf);
        setLong(ps, i, recheckIncident);
    }

    static void insertItems(Connection c, Long campaignId, Long taskId, List<CheckItem> items)
            throws SQLException {
        if (items.isEmpty()) return;
        try (PreparedStatement ps = c.prepareStatement(INSERT_ITEM)) {
            int ord = 0;
            for (CheckItem it : items) {
                int i = 1;
                setLong(ps, i++, campaignId);
                setLong(ps, i++, taskId);
                ps.setInt(i++, ord++);
                ps.setString(i++, it.key());
                ps.setString(i++, it.label());
                ps.setString(i++, it.type().name());
                ps.setBoolean(i++, it.required());
                ps.setBoolean(i++, it.photoRequired());
                ps.setObject(i++, it.expected(), Types.BOOLEAN);
                ps.setBigDecimal(i++, it.min());
                ps.setBigDecimal(i++, it.max());
                ps.setString(i, it.category());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    // ---------------------------------------------------------------- reading

    public Optional<Task> find(long id) throws SQLException {
        try (Connection c = ds.getConnection()) {
            return find(c, id, false);
        }
    }

    static Optional<Task> find(Connection c, long id, boolean lock) throws SQLException {
        if (lock)
            try (PreparedStatement ps =
                    c.prepareStatement("SELECT id FROM task WHERE id = ? FOR UPDATE")) {
                ps.setLong(1, id);
                ps.executeQuery().close();
            }
        List<Task> l = query(c, "SELECT " + TASK_COLUMNS + " WHERE t.id = ?", List.of(id));
        return l.stream().findFirst();
    }

    /**
     * Who sees which tasks: only those of their subdistrict (the isolation rule; null: every
     * subdistrict), and there their own always, and those of the grids in their scope.
     */
    public record Seen(
            long staffId, String scopeType, Long gridId, Long communityId, Long subdistrictId) {
        public Seen(long staffId, String scopeType, Long gridId, Long communityId) {
            this(staffId, scopeType, gridId, communityId, null);
        }
    }

    /** The communities of one subdistrict (tasks belong to the subdistrict of their community). */
    public java.util.Set<Long> communitiesOf(long subdistrictId) throws SQLException {
        java.util.Set<Long> out = new java.util.HashSet<>();
        try (Connection c = ds.getConnection();
                PreparedStatement ps =
                        c.prepareStatement("SELECT id FROM community WHERE subdistrict_id = ?")) {
            ps.setLong(1, subdistrictId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) out.add(rs.getLong(1));
            }
        }
        return out;
    }

    /** A list's filters; null: any. */
    public record Filter(
            Long assigneeId, String state, Long gridId, Long campaignId, int limit, int offset) {}

    public List<Task> list(Filter f, Seen who) throws SQLException {
        StringBuilder sql = new StringBuilder("SELECT " + TASK_COLUMNS + " WHERE true");
        List<Object> args = new ArrayList<>();
        if (who.subdistrictId() != null) {
            sql.append(
                    " AND t.community_id IN (SELECT id FROM community WHERE subdistrict_id = ?)");
            args.add(who.subdistrictId());
        }
        switch (who.scopeType()) {
            case "SUBDISTRICT", "DISTRICT" -> {}
            case "GRID" -> {
                sql.append(" AND (t.assignee_id = ? OR t.grid_id = ?)");
                args.add(who.staffId());
                args.add(who.gridId());
            }
            case "COMMUNITY" -> {
                sql.append(" AND (t.assignee_id = ? OR t.community_id = ?)");
                args.add(who.staffId());
                args.add(who.communityId());
            }
            default -> {
                sql.append(" AND t.assignee_id = ?");
                args.add(who.staffId());
            }
        }
        if (f.assigneeId() != null) {
            sql.append(" AND t.assignee_id = ?");
            args.add(f.assigneeId());
        }
        if (f.state() != null) {
            sql.append(" AND t.state = ?");
            args.add(f.state());
        }
        if (f.gridId() != null) {
            sql.append(" AND t.grid_id = ?");
            args.add(f.gridId());
        }
        if (f.campaignId() != null) {
            sql.append(" AND t.campaign_id = ?");
            args.add(f.campaignId());
        }
        sql.append(" ORDER BY t.state = 'OPEN' DESC, t.due_at, t.id LIMIT ? OFFSET ?");
        args.add(f.limit());
        args.add(f.offset());
        try (Connection c = ds.getConnection()) {
            return query(c, sql.toString(), args);
        }
    }

    private static List<Task> query(Connection c, String sql, List<Object> args)
            throws SQLException {
        List<Task> tasks = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.size(); i++) ps.setObject(i + 1, args.get(i));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) tasks.add(read(rs));
            }
        }
        if (tasks.isEmpty()) return tasks;
        // the items: the campaign's template, or the task's own
        List<Long> campaigns = new ArrayList<>(), ids = new ArrayList<>();
        for (Task t : tasks) {
            if (t.campaignId() != null && t.kind() != TaskKind.RECHECK)
                campaigns.add(t.campaignId());
            else ids.add(t.id());
        }
        Map<String, List<CheckItem>> items = new HashMap<>();
        try (PreparedStatement ps =
                c.prepareStatement(
                        """
                SELECT campaign_id, task_id, key, label, type, required, photo_required, expected,
                       min_value, max_value, category
                FROM check_item WHERE campaign_id = ANY (?) OR task_id = ANY (?)
                ORDER BY ord, id""")) {
            ps.setArray(1, c.createArrayOf("bigint", campaigns.toArray()));
            ps.setArray(2, c.createArrayOf("bigint", ids.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Long camp = getLong(rs, 1);
                    String k = camp != null ? "c" + camp : "t" + rs.getLong(2);
                    Object exp = rs.getObject(8);
                    items.computeIfAbsent(k, x -> new ArrayList<>())
                            .add(
                                    new CheckItem(
                                            rs.getString(3),
                                            rs.getString(4),
                                            CheckType.valueOf(rs.getString(5)),
                                            rs.getBoolean(6),
                                            rs.getBoolean(7),
                                            exp == null ? null : (Boolean) exp,
                                            rs.getBigDecimal(9),
                                            rs.getBigDecimal(10),
                                            rs.getString(11)));
                }
            }
        }
        List<Task> out = new ArrayList<>(tasks.size());
        for (Task t : tasks) {
            String k =
                    t.campaignId() != null && t.kind() != TaskKind.RECHECK
                            ? "c" + t.campaignId()
                            : "t" + t.id();
            out.add(t.withChecks(List.copyOf(items.getOrDefault(k, List.of()))));
        }
        return out;
    }

    private static Task read(ResultSet rs) throws SQLException {
        Array inc = rs.getArray(21);
        List<Long> incidents = new ArrayList<>();
        if (inc != null) for (Long l : (Long[]) inc.getArray()) incidents.add(l);
        return new Task(
                rs.getLong(1),
                TaskKind.valueOf(rs.getString(2)),
                rs.getString(3),
                getLong(rs, 4),
                TargetType.valueOf(rs.getString(5)),
                getLong(rs, 6),
                rs.getString(7),
                rs.getDouble(8),
                rs.getDouble(9),
                getLong(rs, 10),
                getLong(rs, 11),
                getLong(rs, 12),
                utc(rs.getObject(13, OffsetDateTime.class)),
                rs.getString(14),
                rs.getInt(15),
                utc(rs.getObject(16, OffsetDateTime.class)),
                utc(rs.getObject(17, OffsetDateTime.class)),
                rs.getString(18),
                getLong(rs, 19),
                getLong(rs, 20),
                List.copyOf(incidents),
                List.of());
    }

    // ---------------------------------------------------------------- photos

    /** The task's photos: media id → the check item it was taken for. */
    static Map<Long, String> photos(Connection c, long taskId) throws SQLException {
        Map<Long, String> out = new LinkedHashMap<>();
        try (PreparedStatement ps =
                c.prepareStatement(
                        "SELECT id, task_check FROM media WHERE task_id = ? ORDER BY id")) {
            ps.setLong(1, taskId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) out.put(rs.getLong(1), rs.getString(2));
            }
        }
        return out;
    }

    public int photoCount(long taskId) throws SQLException {
        try (Connection c = ds.getConnection()) {
            return photos(c, taskId).size();
        }
    }

    // ---------------------------------------------------------------- completing, cancelling

    /**
     * Completes a task: the answers judged, each failed check reported as an incident, all in one
     * transaction. The same Idempotency-Key again answers {@link Replayed} and changes nothing.
     */
    public Outcome complete(
            long id,
            Completion done,
            String key,
            long staffId,
            EnteredBy by,
            FailedCheckReporter reporter)
            throws SQLException {
        return Jdbc.inTransaction(
                ds,
                c -> {
                    Task t = find(c, id, true).orElseThrow(() -> notFound(id));
                    if (key != null && key.equals(completionKey(c, id))) return new Replayed(t);
                    if (t.assigneeId() == null || t.assigneeId() != staffId)
                        throw new ProblemException(
                                Problem.of(
                                        403,
                                        "forbidden",
                                        "Forbidden",
                                        "task " + id + " is assigned to someone else",
                                        null));
                    if (!t.open()) throw notOpen(t);
                    if (t.version() != done.expectedVersion()) throw stale(t, done);
                    List<Completion.Judged> judged = done.judge(t.checks(), photos(c, id));
                    List<Long> incidents = new ArrayList<>();
                    try (PreparedStatement ps =
                            c.prepareStatement(
                                    """
                            INSERT INTO task_answer (task_id, check_key, value, media_ids, passed, incident_id)
                            VALUES (?, ?, ?::jsonb, ?, ?, ?)""")) {
                        for (Completion.Judged j : judged) {
                            Long incident = null;
                            if (!j.passed()) {
                                incident = reporter.report(c, t, j.item(), j.answer(), by);
                                incidents.add(incident);
                                attach(c, j.answer(), incident);
                            }
                            JsonNode v = j.answer().value();
                            ps.setLong(1, id);
                            ps.setString(2, j.item().key());
                            ps.setString(3, v == null || v.isNull() ? null : v.toString());
                            ps.setArray(
                                    4, c.createArrayOf("bigint", j.answer().mediaIds().toArray()));
                            ps.setBoolean(5, j.passed());
                            setLong(ps, 6, incident);
                            ps.addBatch();
                        }
                        ps.executeBatch();
                    }
                    try (PreparedStatement ps =
                            c.prepareStatement(
                                    """
                            UPDATE task SET state = 'DONE', version = version + 1, completed_at = now(),
                                   completed_by = ?, note = ?, completion_key = ?, incident_ids = ?
                            WHERE id = ?""")) {
                        ps.setLong(1, staffId);
                        ps.setString(2, done.note());
                        ps.setString(3, key);
                        ps.setArray(4, c.createArrayOf("bigint", incidents.toArray()));
                        ps.setLong(5, id);
                        ps.executeUpdate();
                    }
                    return new Done(find(c, id, false).orElseThrow());
                });
    }

    /** The failed check's photos go with its incident (its place is named at intake). */
    private static void attach(Connection c, Answer a, long incident) throws SQLException {
        for (long m : a.mediaIds()) MediaQueries.copyToIncident(c, m, incident);
    }

    private static String completionKey(Connection c, long id) throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement("SELECT completion_key FROM task WHERE id = ?")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    /** Cancels an open task (a commander's decision), with the reason. */
    public Task cancel(long id, int expectedVersion, String reason, TargetCheck allowed)
            throws SQLException {
        return Jdbc.inTransaction(
                ds,
                c -> {
                    Task t = find(c, id, true).orElseThrow(() -> notFound(id));
                    allowed.check(
                            new Target(
                                    t.targetType(),
                                    t.targetId(),
                                    t.targetName(),
                                    t.lon(),
                                    t.lat(),
                                    null,
                                    t.gridId(),
                                    t.communityId(),
                                    GridPeople.NOBODY));
                    if (!t.open()) throw notOpen(t);
                    if (t.version() != expectedVersion)
                        throw stale(t, new Completion(expectedVersion, List.of(), null));
                    try (PreparedStatement ps =
                            c.prepareStatement(
                                    """
                            UPDATE task SET state = 'CANCELLED', version = version + 1,
                                   cancelled_at = now(), cancel_reason = ?
                            WHERE id = ?""")) {
                        ps.setString(1, reason);
                        ps.setLong(2, id);
                        ps.executeUpdate();
                    }
                    return find(c, id, false).orElseThrow();
                });
    }

    static ProblemException notFound(long id) {
        return new ProblemException(Problem.notFound("task " + id + " does not exist"));
    }

    private static ProblemException notOpen(Task t) {
        return new ProblemException(
                Problem.of(
                        409,
                        "task-not-open",
                        "The task is not open",
                        "task " + t.id() + " is " + t.state(),
                        null));
    }

    private static ProblemException stale(Task t, Completion done) {
        return new ProblemException(
                Problem.of(
                        409,
                        "stale-version",
                        "The task has changed",
                        "you acted on version "
                                + done.expectedVersion()
                                + " of task "
                                + t.id()
                                + " but it is at version "
                                + t.version()
                                + "; reload it (GET /api/v1/tasks/"
                                + t.id()
                                + ")",
                        "/expectedVersion"));
    }

    // ---------------------------------------------------------------- rechecks

    /**
     * A RECHECK task for every incident a failed check made that is now CLOSED and has none yet:
     * the same target, the failed item as its checklist, assigned as any task is (the person on
     * duty for the target's grid now). Answers how many were made. Safe to run at any time and from
     * several servers (one recheck per incident: a unique key).
     */
    public int makeRechecks(java.time.Duration within) throws SQLException {
        record Due(long taskId, long incidentId, String key) {}
        return Jdbc.inTransaction(
                ds,
                c -> {
                    List<Due> due = new ArrayList<>();
                    try (PreparedStatement ps =
                            c.prepareStatement(
                                    """
                            SELECT a.task_id, a.incident_id, a.check_key
                            FROM task_answer a JOIN incident i ON i.id = a.incident_id
                            WHERE i.status = 'CLOSED'
                              AND NOT EXISTS (SELECT 1 FROM task r WHERE r.recheck_incident_id = a.incident_id)
                            ORDER BY a.incident_id""")) {
                        try (ResultSet rs = ps.executeQuery()) {
                            while (rs.next())
                                due.add(new Due(rs.getLong(1), rs.getLong(2), rs.getString(3)));
                        }
                    }
                    int made = 0;
                    for (Due d : due) {
                        Task t = find(c, d.taskId(), false).orElseThrow();
                        String area = null;
                        if (t.targetType() == TargetType.AREA)
                            try (PreparedStatement ps =
                                    c.prepareStatement(
                                            "SELECT ST_AsGeoJSON(area) FROM task WHERE id = ?")) {
                                ps.setLong(1, t.id());
                                try (ResultSet rs = ps.executeQuery()) {
                                    rs.next();
                                    area = rs.getString(1);
                                }
                            }
                        Target target;
                        try {
                            target = resolve(c, t.targetType(), t.targetId(), area);
                        } catch (ProblemException e) {
                            continue; // the target left every grid: nobody to send
                        }
                        Long assignee = onDuty(target.people(), Instant.now());
                        long id =
                                insertTask(
                                        c,
                                        TaskKind.RECHECK,
                                        clip("复查 (recheck): " + t.title()),
                                        t.campaignId(),
                                        target,
                                        assignee,
                                        OffsetDateTime.now(ZoneOffset.UTC).plus(within),
                                        null,
                                        t.id(),
                                        d.incidentId());
                        if (id < 0) continue;
                        List<CheckItem> items =
                                t.checks().stream().filter(x -> x.key().equals(d.key())).toList();
                        insertItems(c, null, id, items);
                        made++;
                    }
                    return made;
                });
    }

    static String clip(String s) {
        return s.length() <= 200 ? s : s.substring(0, 200);
    }

    // ---------------------------------------------------------------- helpers

    static OffsetDateTime utc(OffsetDateTime t) {
        return t == null ? null : t.withOffsetSameInstant(ZoneOffset.UTC);
    }

    static Long getLong(ResultSet rs, int i) throws SQLException {
        long v = rs.getLong(i);
        return rs.wasNull() ? null : v;
    }

    static void setLong(PreparedStatement ps, int i, Long v) throws SQLException {
        if (v == null) ps.setNull(i, Types.BIGINT);
        else ps.setLong(i, v);
    }
}
