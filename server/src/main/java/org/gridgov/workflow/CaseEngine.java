package org.gridgov.workflow;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashSet;
import java.util.Set;
import javax.sql.DataSource;
import org.gridgov.api.Problem;
import org.gridgov.api.ProblemException;
import org.gridgov.api.Responses;
import org.gridgov.cases.CaseStatus;
import org.gridgov.category.Category;
import org.gridgov.category.CategoryCatalog;
import org.gridgov.category.Versioned;
import org.gridgov.db.Jdbc;
import org.gridgov.people.Principal;
import org.gridgov.people.Role;
import org.gridgov.roster.DutyRoster;
import org.gridgov.roster.DutyRule;
import org.gridgov.roster.GridPeople;
import org.gridgov.roster.GridPeopleQueries;
import org.gridgov.workflow.DeadlineRules.StepClock;

/**
 * Applies one action to one case, in one transaction: checks who may, in which state and at which
 * version; then updates the incident row (WHERE id = ? AND version = ?: optimistic locking, a stale
 * version changes nothing), appends the event, and re-arms the step's timers. The event log is the
 * history; the row is its projection.
 */
public final class CaseEngine {

    static final String LOAD =
            """
            SELECT id, version, status, category, urgency, platform, grid_id, community_id, assignee_id, parked, no_owner,
                   step, step_due_at, reported_at, duplicate_of, satisfaction, subdistrict_id
            FROM incident WHERE id = ?""";

    private static final String UPDATE =
            """
            UPDATE incident SET status = ?, version = version + 1, platform = ?, assignee_id = ?, step = ?, step_due_at = ?,
                   parked = ?, no_owner = ?, duplicate_of = ?, satisfaction = ?, closed_at = COALESCE(?, closed_at), updated_at = ?,
                   category = ?, urgency = ?, due_at = COALESCE(?, due_at)
            WHERE id = ? AND version = ?""";

    static final String EVENT =
            """
            INSERT INTO incident_event (incident_id, at, actor_id, actor_role, type, from_status, to_status, note, data)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb)""";

    private static final String KEYED_EVENT =
            """
            INSERT INTO incident_event (incident_id, at, actor_id, actor_role, type, from_status, to_status, note, data,
                                        idempotency_key)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?) RETURNING id""";

    private final DataSource ds;
    private final DeadlineRules deadlines;
    private final Versioned<DispatchRules> dispatch;
    private final Clock clock;
    private final DutyRoster roster;
    private final CategoryCatalog categories;

    /** Rules are read as they were in force when the case was reported (docs/reference-data.md). */
    public CaseEngine(
            DataSource ds,
            DeadlineRules deadlines,
            Versioned<DispatchRules> dispatch,
            Clock clock,
            DutyRoster roster,
            CategoryCatalog categories) {
        this.ds = ds;
        this.categories = categories;
        this.deadlines = deadlines;
        this.dispatch = dispatch;
        this.clock = clock;
        this.roster = roster;
    }

    /** What an action changed: the new version and status. */
    public record Outcome(long incidentId, int version, CaseStatus status, long eventId) {}

    public Outcome apply(Principal p, long id, ActionRequest req) throws SQLException {
        return apply(p, id, req, null);
    }

    /**
     * With an Idempotency-Key (null: none): the same key on the same case again answers 409
     * action-already-applied and changes nothing.
     */
    public Outcome apply(Principal p, long id, ActionRequest req, String idempotencyKey)
            throws SQLException {
        return Jdbc.inTransaction(ds, c -> apply(c, p, id, req, idempotencyKey));
    }

    /**
     * What the person may do to the case now (GET /api/v1/incidents/{id}/actions); 404 when it does
     * not exist.
     */
    public AllowedActions allowed(Principal p, long id) throws SQLException {
        try (Connection c = ds.getConnection()) {
            CaseRow row = load(c, id);
            if (row == null)
                throw new ProblemException(Problem.notFound("incident " + id + " does not exist"));
            Pending pending = pendingException(c, id);
            AllowedActions a =
                    AllowedActions.of(
                                    p,
                                    row,
                                    pending == null ? null : pending.kind,
                                    Subtasks.open(c, id).size())
                            .withSubtasks(
                                    AllowedActions.subtaskOffers(p, row, Subtasks.all(c, id)));
            // what depends on the category and the district's stage, as apply checks it
            boolean districtMatter =
                    categories.find(row.category()).map(Category::districtAuthority).orElse(true);
            DistrictDesk.State desk =
                    row.status() == CaseStatus.ESCALATED ? DistrictDesk.load(c, id) : null;
            return a.without(
                    x ->
                            (x == CaseAction.ESCALATE && !districtMatter)
                                    || (x.isDistrict() && !DistrictDesk.fits(x, desk)));
        }
    }

    Outcome apply(Connection c, Principal p, long id, ActionRequest req) throws SQLException {
        return apply(c, p, id, req, null);
    }

    Outcome apply(Connection c, Principal p, long id, ActionRequest req, String key)
            throws SQLException {
        CaseRow row = authorised(c, p, id, req, key);
        CaseAction a = req.action();
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        Pending pending = pendingException(c, id);
        Change ch = new Change(row);
        if (a.isDistrict()) {
            ch.district = DistrictDesk.load(c, id);
            if (!DistrictDesk.fits(a, ch.district)) throw DistrictDesk.refusal(id, a, ch.district);
        }
        ObjectNode data = Responses.JSON.createObjectNode();
        String eventType = act(c, p, row, req, pending, ch, data, now);

        // what an approval grants (act refused one with no request pending)
        ExceptionKind granted = a == CaseAction.APPROVE ? pending.kind : null;
        CaseStatus to =
                CaseFlow.target(row.status(), a, req.outcome(), granted == ExceptionKind.RETURN)
                        .orElseThrow();
        ch.status = to;
        if (to == CaseStatus.CLOSED && row.status() != CaseStatus.CLOSED) ch.closedAt = now;

        // the step that ends here: was it done on time?
        boolean stepEnds =
                to != row.status()
                        || ch.noOwner != row.noOwner()
                        || a == CaseAction.DISPATCH
                        || a == CaseAction.TRANSFER;
        if (stepEnds && row.step() != null && a != CaseAction.RECLASSIFY) completed(row, now, data);
        // the step that starts here, and its clock (a reclassified case's under its new category)
        boolean newClock =
                stepEnds
                        || granted == ExceptionKind.PARKING
                        || granted == ExceptionKind.EXTENSION
                        || a == CaseAction.RECLASSIFY;
        StepClock clockOfStep = newClock ? nextStep(row, granted, pending, ch, data, now) : null;
        if (req.attachments() != null) data.set("attachments", req.attachments());

        update(c, row, ch, now, req.expectedVersion());
        long eventId =
                appendEvent(
                        c,
                        id,
                        now,
                        p.staffId(),
                        actingRole(p, a),
                        eventType,
                        row.status().name(),
                        to.name(),
                        req.note(),
                        data,
                        key);
        if (newClock) Timers.rearm(c, id, clockOfStep, now);
        else if (ch.districtClock != null) Timers.rearm(c, id, ch.districtClock, now);
        if (a == CaseAction.SUPERVISE)
            Supervisions.issue(
                    c, id, eventId, now, p.staffId(), actingRole(p, a), req.reason(), req.dueAt());
        if (to == CaseStatus.RESOLVED && row.status() != CaseStatus.RESOLVED)
            Supervisions.resolved(c, id, now);
        return new Outcome(id, row.version() + 1, to, eventId);
    }

    /**
     * The reporter rates their case, inside the caller's transaction (the tracking page adds its
     * callback task to it). Event RATE (actor role REPORTER, no staff id, the comment as its note);
     * "not solved" then sends the case back like a rework — a second event, REWORK, to IN_PROGRESS
     * with the handling clock armed again, from a closed case too ({@link CaseFlow#afterRating}).
     * Each event moves the version by one. 404 when the case does not exist, 409 when it is not
     * handled yet or rated already; nothing is written then.
     */
    public Outcome rateByReporter(Connection c, long id, ReporterRating rating)
            throws SQLException {
        // locked: two ratings at once are one rating and one already-rated, never a stale version
        CaseRow row = load(c, id, true);
        if (row == null)
            throw new ProblemException(Problem.notFound("incident " + id + " does not exist"));
        // rated already comes first: a "not solved" rating leaves the case open again
        if (row.satisfaction() != null) throw alreadyRated(row);
        CaseStatus to =
                CaseFlow.afterRating(row.status(), rating.notSolved())
                        .orElseThrow(
                                () ->
                                        new ProblemException(
                                                Problem.of(
                                                        409,
                                                        "not-yet-handled",
                                                        "The case is not handled yet",
                                                        "a case can be rated once it is handled ("
                                                                + CaseFlow.sources(CaseAction.RATE)
                                                                + "); it is "
                                                                + row.status(),
                                                        "/satisfaction")));
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        Change rated = new Change(row);
        ObjectNode data = Responses.JSON.createObjectNode();
        rate(row, rating.satisfaction(), rated, data);
        data.put("notSolved", rating.notSolved());
        update(c, row, rated, now, row.version());
        long eventId =
                appendEvent(
                        c,
                        id,
                        now,
                        null,
                        REPORTER,
                        CaseAction.RATE.name(),
                        row.status().name(),
                        row.status().name(),
                        rating.comment(),
                        data);
        if (to == row.status()) return new Outcome(id, row.version() + 1, to, eventId);

        // not solved: back to be handled, as a rework ordered by the reporter
        CaseRow ratedRow = load(c, id);
        Change back = new Change(ratedRow);
        back.status = to;
        ObjectNode again = Responses.JSON.createObjectNode();
        again.put("byReporter", true);
        if (ratedRow.step() != null) completed(ratedRow, now, again);
        StepClock clockOfStep = nextStep(ratedRow, null, null, back, again, now);
        update(c, ratedRow, back, now, ratedRow.version());
        long reworkId =
                appendEvent(
                        c,
                        id,
                        now,
                        null,
                        REPORTER,
                        CaseAction.REWORK.name(),
                        row.status().name(),
                        to.name(),
                        "the reporter says the matter is not solved",
                        again);
        Timers.rearm(c, id, clockOfStep, now);
        return new Outcome(id, ratedRow.version() + 1, to, reworkId);
    }

    /**
     * Starts, finishes or reassigns one subtask of a coordinated case, as one case event
     * (SUBTASK_STARTED, SUBTASK_DONE, SUBTASK_REASSIGNED) that moves the case's version. Who may:
     * the subtask's assignee or its platform's handlers and commander (start, finish), its
     * platform's commander or the command centre (reassign).
     */
    public Outcome applySubtask(Principal p, long id, long sid, SubtaskRequest req, String key)
            throws SQLException {
        return Jdbc.inTransaction(
                ds,
                c -> {
                    CaseRow row = load(c, id, key != null);
                    if (row == null)
                        throw new ProblemException(
                                Problem.notFound("incident " + id + " does not exist"));
                    Subtasks.Subtask st = Subtasks.find(c, id, sid);
                    boolean party =
                            st != null
                                    && SubtaskPolicy.party(p, st)
                                    && ActionPolicy.inSubdistrict(p, row);
                    if (!ActionPolicy.sees(p, row) && !party) throw notYourCase(p, id);
                    if (st == null)
                        throw new ProblemException(
                                Problem.notFound("incident " + id + " has no subtask " + sid));
                    if (key != null) alreadyApplied(c, row, key);
                    if (row.version() != req.expectedVersion())
                        throw stale(id, req.expectedVersion(), row.version());
                    if (!SubtaskPolicy.may(p, req.action(), st))
                        throw new ProblemException(
                                Problem.of(
                                        403,
                                        "action-not-allowed",
                                        "Action not allowed",
                                        "'"
                                                + req.action().wire
                                                + "' on the "
                                                + st.platform()
                                                + " subtask needs "
                                                + SubtaskPolicy.describe(req.action())
                                                + "; you are "
                                                + p.roles(),
                                        "/action"));
                    if (row.status() != CaseStatus.COORDINATION)
                        throw invalidTransition(
                                row, req.action().wire, java.util.List.of(CaseStatus.COORDINATION));
                    SubtaskState to =
                            req.action()
                                    .target(st.state())
                                    .orElseThrow(
                                            () ->
                                                    new ProblemException(
                                                            Problem.of(
                                                                    409,
                                                                    "invalid-transition",
                                                                    "Not possible in this state",
                                                                    "'"
                                                                            + req.action().wire
                                                                            + "' is not possible while the subtask is "
                                                                            + st.state()
                                                                            + "; it needs one of "
                                                                            + req.action()
                                                                                    .sources(),
                                                                    "/action")));
                    Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
                    Long assignee = st.assigneeId();
                    ObjectNode data = Responses.JSON.createObjectNode();
                    data.put("subtaskId", sid).put("platform", st.platform());
                    if (req.action() == SubtaskAction.REASSIGN) {
                        assignee = checkAssignee(c, req.assigneeId(), st.platform());
                        data.put("fromAssigneeId", st.assigneeId());
                    }
                    if (assignee != null) data.put("assigneeId", assignee);
                    data.put("state", to.name());
                    if (to == SubtaskState.DONE)
                        data.put("onTime", !now.isAfter(st.dueAt().toInstant()));
                    Subtasks.update(c, sid, to, assignee, now);
                    Change same = new Change(row);
                    update(c, row, same, now, req.expectedVersion());
                    String role = p.roles().iterator().next().name();
                    for (Role r : p.roles()) if (SubtaskPolicy.acts(r)) role = r.name();
                    long eventId =
                            appendEvent(
                                    c,
                                    id,
                                    now,
                                    p.staffId(),
                                    role,
                                    req.action().event,
                                    row.status().name(),
                                    row.status().name(),
                                    req.note(),
                                    data,
                                    key);
                    return new Outcome(id, row.version() + 1, row.status(), eventId);
                });
    }

    /** The actor role of what the reporter does themselves (no staff id). */
    public static final String REPORTER = "REPORTER";

    /** The case, when it exists, the person sees it, may act on it, and it is in that state. */
    private static CaseRow authorised(
            Connection c, Principal p, long id, ActionRequest req, String key) throws SQLException {
        // with a key, two replays at once queue on the row: the second finds the first's event
        CaseRow row = load(c, id, key != null);
        if (row == null)
            throw new ProblemException(Problem.notFound("incident " + id + " does not exist"));
        if (!ActionPolicy.sees(p, row)) throw notYourCase(p, id);
        if (key != null) alreadyApplied(c, row, key);
        if (row.version() != req.expectedVersion())
            throw stale(id, req.expectedVersion(), row.version());
        CaseAction a = req.action();
        if (!ActionPolicy.may(p, a, row)) throw notAllowed(p, a);
        if (!CaseFlow.allowed(row.status(), a))
            throw invalidTransition(row, a.wire, CaseFlow.sources(a));
        return row;
    }

    /** 409 action-already-applied when the case has an event made with this key. */
    private static void alreadyApplied(Connection c, CaseRow row, String key) throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement(
                        "SELECT id, type FROM incident_event WHERE incident_id = ? AND idempotency_key = ?")) {
            ps.setLong(1, row.id());
            ps.setString(2, key);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) return;
                java.util.Map<String, Object> members = new java.util.LinkedHashMap<>();
                members.put("incidentId", row.id());
                members.put("eventId", rs.getLong(1));
                members.put("caseStatus", row.status().name());
                members.put("version", row.version());
                throw new ProblemException(
                        Problem.of(
                                409,
                                "action-already-applied",
                                "The action was applied already",
                                "Idempotency-Key '"
                                        + key
                                        + "' made event "
                                        + rs.getLong(1)
                                        + " ("
                                        + rs.getString(2)
                                        + ") of incident "
                                        + row.id()
                                        + "; the case is now "
                                        + row.status()
                                        + " at version "
                                        + row.version()
                                        + ", nothing was changed",
                                "Idempotency-Key"),
                        members);
            }
        }
    }

    private static ProblemException notYourCase(Principal p, long id) {
        return new ProblemException(
                Problem.of(
                        403,
                        "not-your-case",
                        "Not your case",
                        "incident " + id + " lies outside your scope (" + p.scope().type() + ")",
                        null));
    }

    private static ProblemException invalidTransition(
            CaseRow row, String wire, java.util.Collection<?> sources) {
        return new ProblemException(
                Problem.of(
                        409,
                        "invalid-transition",
                        "Not possible in this state",
                        "'"
                                + wire
                                + "' is not possible while the case is "
                                + row.status()
                                + "; it needs one of "
                                + sources,
                        "/action"));
    }

    private static ProblemException notAllowed(Principal p, CaseAction a) {
        return new ProblemException(
                Problem.of(
                        403,
                        "action-not-allowed",
                        "Action not allowed",
                        "'"
                                + a.wire
                                + "' on this case needs one of "
                                + ActionPolicy.rolesFor(a)
                                + (ActionPolicy.inPerson(a)
                                        ? " and that the case is dispatched to you or to your platform"
                                        : "")
                                + "; you are "
                                + p.roles(),
                        "/action"));
    }

    /**
     * What the action itself does to the case (ch) and records (data), by family; returns the event
     * type.
     */
    private String act(
            Connection c,
            Principal p,
            CaseRow row,
            ActionRequest req,
            Pending pending,
            Change ch,
            ObjectNode data,
            Instant now)
            throws SQLException {
        CaseAction a = req.action();
        switch (a) {
            case DISPATCH, TRANSFER -> dispatch(c, row, req, ch, data);
            case REJECT, MERGE -> duplicate(c, row, req, ch, data);
            case COORDINATE -> subtasks(c, row, req, coordinate(row, req, data), data, now);
            case DISTRICT_REPLY -> {
                data.put("outcome", req.outcome().name());
                // the case leaves the district: whatever stage it had there ends
                DistrictDesk.save(c, row.id(), DistrictDesk.Stage.WAITING, null);
            }
            case RESOLVE -> allSubtasksDone(c, row);
            case SUPERVISE -> supervise(req, data, now);
            case RECLASSIFY -> reclassify(c, row, req, ch, data);
            case RATE -> rate(row, req.satisfaction(), ch, data);
            case ESCALATE -> escalate(row, data);
            case DISTRICT_ACCEPT, DISTRICT_ASSIGN, DISTRICT_RETURN, DISTRICT_RESOLVE ->
                    district(c, row, req, ch, data, now);
            case REQUEST_EXTENSION, REQUEST_RETURN, REQUEST_PARKING -> {
                return request(c, p, row, req, pending, data, now);
            }
            case APPROVE, DENY -> {
                return decide(c, p, row, req, pending, ch, data, now);
            }
            default -> {}
        }
        return a.name();
    }

    private void dispatch(Connection c, CaseRow row, ActionRequest req, Change ch, ObjectNode data)
            throws SQLException {
        boolean transfer = req.action() == CaseAction.TRANSFER;
        String platform = req.platform() != null ? req.platform() : row.platform();
        if (transfer && platform.equals(row.platform())) {
            throw ActionRequest.invalid(
                    "/platform",
                    "the case is already with " + platform + "; transfer names another platform");
        }
        Long assignee =
                req.assigneeId() != null
                        ? checkAssignee(c, req.assigneeId(), platform)
                        : autoAssignee(
                                c,
                                row.category(),
                                platform,
                                row.gridId(),
                                row.reportedAt().toInstant());
        ch.platform = platform;
        ch.assigneeId = assignee;
        ch.noOwner = false;
        data.put("platform", platform);
        if (assignee != null) data.put("assigneeId", assignee);
        data.put("auto", req.assigneeId() == null);
        if (transfer) data.put("fromPlatform", row.platform());
    }

    /** Reject or merge: a duplicate points to its original. */
    private static void duplicate(
            Connection c, CaseRow row, ActionRequest req, Change ch, ObjectNode data)
            throws SQLException {
        data.put("reason", req.action() == CaseAction.MERGE ? "DUPLICATE" : req.reason());
        if (req.originalId() != null) {
            long original = original(c, row.id(), req.originalId());
            ch.duplicateOf = original;
            data.put("originalId", original);
        }
    }

    /** 409 subtasks-open naming the platforms whose subtasks are not done. */
    private static void allSubtasksDone(Connection c, CaseRow row) throws SQLException {
        var open = Subtasks.open(c, row.id());
        if (open.isEmpty()) return;
        throw new ProblemException(
                Problem.of(
                        409,
                        "subtasks-open",
                        "Subtasks are not done",
                        "the coordinated case resolves when every platform's subtask is done; open: "
                                + String.join(", ", open),
                        "/action"));
    }

    /**
     * A subtask per involved platform: the named assignee, else the case's own assignee on its own
     * platform, else the dispatch rules' pick (none when nobody is on duty: the platform's staff
     * see it and a commander reassigns it). Deadline: the handling step's, by platform.
     */
    private void subtasks(
            Connection c,
            CaseRow row,
            ActionRequest req,
            Set<String> platforms,
            ObjectNode data,
            Instant now)
            throws SQLException {
        for (String pf : req.assignees().keySet()) {
            if (!platforms.contains(pf))
                throw new ProblemException(
                        Problem.of(
                                422,
                                "platform-not-involved",
                                "The case does not involve that platform",
                                "a subtask for "
                                        + pf
                                        + ": the coordination involves "
                                        + platforms
                                        + " only",
                                "/assignees/" + pf));
        }
        DeadlineRules rules = deadlines.at(row.reportedAt().toInstant());
        ArrayNode arr = data.putArray("subtasks");
        for (String pf : platforms) {
            Long named = req.assignees().get(pf);
            Long assignee;
            if (named != null) assignee = checkAssignee(c, named, pf);
            else if (pf.equals(row.platform()) && row.assigneeId() != null)
                assignee = row.assigneeId();
            else assignee = handlerOrNone(c, row, pf);
            StepClock sc = rules.plan(row.category(), pf, row.urgency(), Step.HANDLE, now);
            Instant due = sc == null ? now.plus(72, ChronoUnit.HOURS) : sc.dueAt();
            long sid = Subtasks.upsert(c, row.id(), pf, assignee, due, now);
            ObjectNode o = arr.addObject().put("id", sid).put("platform", pf);
            if (assignee != null) o.put("assigneeId", assignee);
            else o.putNull("assigneeId");
            o.put("dueAt", due.toString());
        }
    }

    private Long handlerOrNone(Connection c, CaseRow row, String platform) throws SQLException {
        try {
            return autoAssignee(
                    c, row.category(), platform, row.gridId(), row.reportedAt().toInstant());
        } catch (ProblemException nobody) {
            return null;
        }
    }

    /** A leader's 督办: its deadline lies ahead. */
    private static void supervise(ActionRequest req, ObjectNode data, Instant now) {
        if (!req.dueAt().isAfter(now))
            throw ActionRequest.invalid("/dueAt", "'dueAt' must lie in the future");
        data.put("reason", req.reason()).put("dueAt", req.dueAt().toString());
    }

    /**
     * The right category: its platform, the routing's promise (dueAt) and urgency; a case in hand
     * goes to the new platform's handler by the dispatch rules (its step clock is planned again by
     * the caller). A district matter is escalated, not reclassified.
     */
    private void reclassify(
            Connection c, CaseRow row, ActionRequest req, Change ch, ObjectNode data)
            throws SQLException {
        Category cat =
                categories
                        .find(req.category())
                        .orElseThrow(
                                () ->
                                        ActionRequest.invalid(
                                                "/category",
                                                "'"
                                                        + req.category()
                                                        + "' is not a category (GET /api/v1/categories)"));
        if (cat.code().equals(row.category()))
            throw ActionRequest.invalid(
                    "/category", "the case is already of category " + cat.code());
        if (cat.districtAuthority())
            throw new ProblemException(
                    Problem.of(
                            422,
                            "district-category",
                            "A district matter is escalated, not reclassified",
                            cat.code()
                                    + " is handled by the district: use the action 'escalate' with"
                                    + " a note saying what the matter is",
                            "/category"));
        ch.category = cat.code();
        ch.urgency = cat.urgency();
        ch.platform = cat.platform();
        ch.dueAt = row.reportedAt().plusHours(cat.deadlineHours());
        data.put("reason", req.reason())
                .put("fromCategory", row.category())
                .put("category", cat.code())
                .put("fromPlatform", row.platform())
                .put("platform", cat.platform())
                .put("dueAt", ch.dueAt.toInstant().toString());
        boolean inHand =
                row.status() == CaseStatus.DISPATCHED || row.status() == CaseStatus.IN_PROGRESS;
        if (inHand) {
            ch.assigneeId =
                    autoAssignee(
                            c,
                            cat.code(),
                            cat.platform(),
                            row.gridId(),
                            row.reportedAt().toInstant());
            data.put("fromAssigneeId", row.assigneeId());
        }
        if (ch.assigneeId != null) data.put("assigneeId", ch.assigneeId);
    }

    /**
     * Only what exceeds the subdistrict's authority goes to the district: a category of district
     * authority (gis-data/taxonomy/categories.csv). The deadline rules' automatic escalation is the
     * scheduler's and not checked here.
     */
    private void escalate(CaseRow row, ObjectNode data) {
        Category cat = categories.find(row.category()).orElse(null);
        if (cat != null && !cat.districtAuthority())
            throw new ProblemException(
                    Problem.of(
                            422,
                            "not-district-authority",
                            "Not a district matter",
                            "category "
                                    + cat.code()
                                    + " ("
                                    + cat.nameZh()
                                    + ") is of "
                                    + cat.authority()
                                    + " authority: the subdistrict handles it (coordinate"
                                    + " platforms, or supervise); only district-authority"
                                    + " categories are escalated",
                            "/action"));
        if (cat != null) data.put("category", cat.code());
    }

    /**
     * The district command centre's actions (docs/district.md). The case stays ESCALATED while the
     * district holds it; assigning gives it a department's platform, handler and deadline (armed
     * like a handling step's); returning sends it to the subdistrict's centre to be dispatched;
     * resolving sends it to verification.
     */
    private void district(
            Connection c, CaseRow row, ActionRequest req, Change ch, ObjectNode data, Instant now)
            throws SQLException {
        DistrictDesk.State s = ch.district;
        switch (req.action()) {
            case DISTRICT_ACCEPT -> {
                DistrictDesk.save(c, row.id(), DistrictDesk.Stage.ACCEPTED, null);
                data.put("stage", DistrictDesk.Stage.ACCEPTED.name());
            }
            case DISTRICT_ASSIGN -> {
                DistrictDesk.Department d = DistrictDesk.department(c, req.department());
                Instant due = req.dueAt();
                if (due != null && !due.isAfter(now))
                    throw ActionRequest.invalid("/dueAt", "'dueAt' must lie in the future");
                if (due == null) {
                    StepClock sc =
                            deadlines
                                    .at(row.reportedAt().toInstant())
                                    .plan(
                                            row.category(),
                                            d.platform(),
                                            row.urgency(),
                                            Step.HANDLE,
                                            now);
                    due = sc == null ? now.plus(72, ChronoUnit.HOURS) : sc.dueAt();
                }
                DistrictDesk.save(c, row.id(), DistrictDesk.Stage.ASSIGNED, d.code());
                ch.platform = d.platform();
                ch.assigneeId = d.handlerId();
                ch.step = Step.HANDLE.name();
                ch.stepDueAt = due.atOffset(ZoneOffset.UTC);
                // an overdue notice when the deadline passes; no escalation beyond the district
                ch.districtClock = new StepClock(Step.HANDLE, due, null, null, null);
                data.put("stage", DistrictDesk.Stage.ASSIGNED.name())
                        .put("department", d.code())
                        .put("platform", d.platform())
                        .put("stepDueAt", due.toString());
                if (s.department() != null) data.put("fromDepartment", s.department());
                if (d.handlerId() != null) data.put("assigneeId", d.handlerId());
            }
            case DISTRICT_RETURN -> {
                DistrictDesk.save(c, row.id(), DistrictDesk.Stage.WAITING, null);
                ch.assigneeId = null;
                ch.platform =
                        categories.find(row.category()).map(Category::platform).orElse(ch.platform);
                data.put("reason", req.reason()).put("subdistrictId", s.subdistrictId());
                if (s.department() != null) data.put("fromDepartment", s.department());
            }
            case DISTRICT_RESOLVE -> {
                DistrictDesk.save(c, row.id(), DistrictDesk.Stage.WAITING, null);
                if (s.department() != null) data.put("department", s.department());
            }
            default -> throw new IllegalArgumentException(req.action().wire);
        }
    }

    private static Set<String> coordinate(CaseRow row, ActionRequest req, ObjectNode data) {
        Set<String> pf = new LinkedHashSet<>();
        pf.add(row.platform());
        pf.addAll(req.platforms());
        // police support for joint enforcement is arranged by the governance platform's
        // coordination group
        if (req.policeSupport()) pf.add("GOVERNANCE");
        if (pf.size() < 2 && !req.policeSupport()) {
            throw ActionRequest.invalid(
                    "/platforms",
                    "coordination involves at least one platform besides " + row.platform());
        }
        ArrayNode arr = data.putArray("platforms");
        pf.forEach(arr::add);
        if (req.policeSupport())
            data.putObject("policeSupport").put("requested", true).put("arrangedBy", "GOVERNANCE");
        return pf;
    }

    private static void rate(CaseRow row, int satisfaction, Change ch, ObjectNode data) {
        if (row.satisfaction() != null) throw alreadyRated(row);
        ch.satisfaction = satisfaction;
        data.put("satisfaction", satisfaction);
    }

    private static ProblemException alreadyRated(CaseRow row) {
        return new ProblemException(
                Problem.of(
                        409,
                        "already-rated",
                        "Already rated",
                        "the reporter's satisfaction (" + row.satisfaction() + ") is on record",
                        "/satisfaction"));
    }

    /** A request for an exception: one pending at a time. Returns the event type. */
    private static String request(
            Connection c,
            Principal p,
            CaseRow row,
            ActionRequest req,
            Pending pending,
            ObjectNode data,
            Instant now)
            throws SQLException {
        if (pending != null)
            throw new ProblemException(
                    Problem.of(
                            409,
                            "request-pending",
                            "A request is pending",
                            "exception request "
                                    + pending.id
                                    + " ("
                                    + pending.kind
                                    + ") awaits approval; one at a time",
                            "/action"));
        ExceptionKind kind = ExceptionKind.requestedBy(req.action());
        if (kind == ExceptionKind.PARKING && row.parked())
            throw new ProblemException(
                    Problem.of(
                            409,
                            "already-parked",
                            "Already parked",
                            "the case is parked already",
                            "/action"));
        long exId =
                insertException(
                        c, row.id(), kind, req.reason(), req.extraHours(), p.staffId(), now);
        data.put("exceptionId", exId).put("kind", kind.name()).put("reason", req.reason());
        if (req.extraHours() != null) data.put("extraHours", req.extraHours());
        return kind.event("REQUESTED");
    }

    /** Approve or deny the pending request. Returns the event type. */
    private static String decide(
            Connection c,
            Principal p,
            CaseRow row,
            ActionRequest req,
            Pending pending,
            Change ch,
            ObjectNode data,
            Instant now)
            throws SQLException {
        if (pending == null)
            throw new ProblemException(
                    Problem.of(
                            409,
                            "nothing-to-decide",
                            "Nothing to decide",
                            "no exception request is pending on incident " + row.id(),
                            "/action"));
        boolean approve = req.action() == CaseAction.APPROVE;
        decideException(c, pending.id, approve, p.staffId(), now, req.note());
        data.put("exceptionId", pending.id).put("kind", pending.kind.name());
        if (approve) {
            switch (pending.kind) {
                case RETURN -> {
                    ch.noOwner = true;
                    ch.assigneeId = null;
                    data.put("fromAssigneeId", row.assigneeId());
                }
                case PARKING -> ch.parked = true;
                case EXTENSION -> data.put("extraHours", pending.extraHours);
            }
        }
        return pending.kind.event(approve ? "APPROVED" : "DENIED");
    }

    /** Records in data whether the step that ends was done on time. */
    private static void completed(CaseRow row, Instant now, ObjectNode data) {
        ObjectNode done = data.putObject("completed");
        done.put("step", row.step());
        if (row.stepDueAt() != null) {
            done.put("dueAt", row.stepDueAt().toString());
            done.put("onTime", !now.isAfter(row.stepDueAt().toInstant()));
        }
    }

    /**
     * The step that starts now (into ch and data) and its clock, null when none runs (no step, or a
     * parked case's handling).
     */
    private StepClock nextStep(
            CaseRow row,
            ExceptionKind granted,
            Pending pending,
            Change ch,
            ObjectNode data,
            Instant now) {
        StepClock clockOfStep = null;
        DeadlineRules deadlines = this.deadlines.at(row.reportedAt().toInstant());
        Step step = ch.noOwner ? Step.NO_OWNER : CaseFlow.stepOf(ch.status);
        if (step == Step.HANDLE && ch.parked) step = null; // parked: no handling clock
        if (granted == ExceptionKind.EXTENSION && row.stepDueAt() != null) {
            Step s = Step.valueOf(row.step());
            StepClock old = new StepClock(s, row.stepDueAt().toInstant(), null, null, null);
            clockOfStep =
                    deadlines.extend(old, ch.category, ch.platform, ch.urgency, pending.extraHours);
        } else if (step != null) {
            clockOfStep = deadlines.plan(ch.category, ch.platform, ch.urgency, step, now);
        }
        ch.step =
                clockOfStep == null
                        ? (step == null ? null : step.name())
                        : clockOfStep.step().name();
        ch.stepDueAt = clockOfStep == null ? null : clockOfStep.dueAt().atOffset(ZoneOffset.UTC);
        if (clockOfStep != null) data.put("stepDueAt", clockOfStep.dueAt().toString());
        if (ch.step != null) data.put("step", ch.step);
        return clockOfStep;
    }

    /** Writes the row at the version read; 409 when someone acted in between. */
    private static void update(Connection c, CaseRow row, Change ch, Instant now, int expected)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(UPDATE)) {
            int i = 1;
            ps.setString(i++, ch.status.name());
            ps.setString(i++, ch.platform);
            setLong(ps, i++, ch.assigneeId);
            ps.setString(i++, ch.step);
            ps.setObject(i++, ch.stepDueAt);
            ps.setBoolean(i++, ch.parked);
            ps.setBoolean(i++, ch.noOwner);
            setLong(ps, i++, ch.duplicateOf);
            if (ch.satisfaction == null) ps.setNull(i++, Types.SMALLINT);
            else ps.setInt(i++, ch.satisfaction);
            ps.setObject(i++, ch.closedAt == null ? null : ch.closedAt.atOffset(ZoneOffset.UTC));
            ps.setObject(i++, now.atOffset(ZoneOffset.UTC));
            ps.setString(i++, ch.category);
            ps.setString(i++, ch.urgency);
            ps.setObject(i++, ch.dueAt);
            ps.setLong(i++, row.id());
            ps.setInt(i, row.version());
            if (ps.executeUpdate() == 0) {
                // someone acted between our read and our write
                throw stale(row.id(), expected, -1);
            }
        }
    }

    static long appendEvent(
            Connection c,
            long id,
            Instant at,
            Long actorId,
            String actorRole,
            String type,
            String from,
            String to,
            String note,
            ObjectNode data)
            throws SQLException {
        return appendEvent(c, id, at, actorId, actorRole, type, from, to, note, data, null);
    }

    /** The event, with the Idempotency-Key of the request that made it (null: none). */
    static long appendEvent(
            Connection c,
            long id,
            Instant at,
            Long actorId,
            String actorRole,
            String type,
            String from,
            String to,
            String note,
            ObjectNode data,
            String key)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(KEYED_EVENT)) {
            ps.setLong(1, id);
            ps.setObject(2, at.atOffset(ZoneOffset.UTC));
            setLong(ps, 3, actorId);
            ps.setString(4, actorRole);
            ps.setString(5, type);
            ps.setString(6, from);
            ps.setString(7, to);
            ps.setString(8, note);
            ps.setString(9, data == null || data.isEmpty() ? null : data.toString());
            ps.setString(10, key);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static String actingRole(Principal p, CaseAction a) {
        for (Role r : p.roles()) if (ActionPolicy.rolesFor(a).contains(r)) return r.name();
        return p.roles().iterator().next().name();
    }

    private static ProblemException stale(long id, int expected, int actual) {
        return new ProblemException(
                Problem.of(
                        409,
                        "stale-version",
                        "The case has changed",
                        "you acted on version "
                                + expected
                                + " of incident "
                                + id
                                + (actual > 0
                                        ? " but it is at version " + actual
                                        : " but it changed meanwhile")
                                + "; reload it (GET /api/v1/incidents/"
                                + id
                                + ") and decide again",
                        "/expectedVersion"));
    }

    /** The mutable projection of the row while an action is worked out. */
    private static final class Change {
        CaseStatus status;
        String platform;
        Long assigneeId;
        String step;
        OffsetDateTime stepDueAt;
        boolean parked, noOwner;
        Long duplicateOf;
        Integer satisfaction;
        Instant closedAt;
        String category, urgency;
        OffsetDateTime dueAt; // the routing's promise, set by a reclassification only
        DistrictDesk.State district; // read for the district's actions only
        StepClock districtClock; // a district department's deadline, armed without a new step

        Change(CaseRow r) {
            category = r.category();
            urgency = r.urgency();
            status = r.status();
            platform = r.platform();
            assigneeId = r.assigneeId();
            step = r.step();
            stepDueAt = r.stepDueAt();
            parked = r.parked();
            noOwner = r.noOwner();
            duplicateOf = r.duplicateOf();
            satisfaction = r.satisfaction();
        }
    }

    static CaseRow load(Connection c, long id) throws SQLException {
        return load(c, id, false);
    }

    private static CaseRow load(Connection c, long id, boolean lock) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(lock ? LOAD + " FOR UPDATE" : LOAD)) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) return null;
                int sat = rs.getInt(16);
                Integer satisfaction = rs.wasNull() ? null : sat;
                return new CaseRow(
                        rs.getLong(1),
                        rs.getInt(2),
                        CaseStatus.valueOf(rs.getString(3)),
                        rs.getString(4),
                        rs.getString(5),
                        rs.getString(6),
                        getLong(rs, 7),
                        getLong(rs, 8),
                        getLong(rs, 9),
                        rs.getBoolean(10),
                        rs.getBoolean(11),
                        rs.getString(12),
                        rs.getObject(13, OffsetDateTime.class),
                        rs.getObject(14, OffsetDateTime.class),
                        getLong(rs, 15),
                        satisfaction,
                        getLong(rs, 17));
            }
        }
    }

    private record Pending(long id, ExceptionKind kind, Integer extraHours) {}

    private static Pending pendingException(Connection c, long id) throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement(
                        "SELECT id, kind, extra_hours FROM case_exception WHERE incident_id = ? AND status = 'PENDING'")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) return null;
                int x = rs.getInt(3);
                return new Pending(
                        rs.getLong(1),
                        ExceptionKind.valueOf(rs.getString(2)),
                        rs.wasNull() ? null : x);
            }
        }
    }

    private static long insertException(
            Connection c,
            long id,
            ExceptionKind kind,
            String reason,
            Integer extra,
            long by,
            Instant at)
            throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement(
                        """
                INSERT INTO case_exception (incident_id, kind, reason, extra_hours, requested_by, requested_at)
                VALUES (?, ?, ?, ?, ?, ?) RETURNING id""")) {
            ps.setLong(1, id);
            ps.setString(2, kind.name());
            ps.setString(3, reason);
            if (extra == null) ps.setNull(4, Types.INTEGER);
            else ps.setInt(4, extra);
            ps.setLong(5, by);
            ps.setObject(6, at.atOffset(ZoneOffset.UTC));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static void decideException(
            Connection c, long exId, boolean approve, long by, Instant at, String note)
            throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement(
                        """
                UPDATE case_exception SET status = ?, decided_by = ?, decided_at = ?, decision_note = ? WHERE id = ? AND status = 'PENDING'""")) {
            ps.setString(1, approve ? "APPROVED" : "DENIED");
            ps.setLong(2, by);
            ps.setObject(3, at.atOffset(ZoneOffset.UTC));
            ps.setString(4, note);
            ps.setLong(5, exId);
            ps.executeUpdate();
        }
    }

    /** The original a duplicate points to: an existing other case, followed to its own original. */
    private static long original(Connection c, long id, long originalId) throws SQLException {
        long cur = originalId;
        for (int hops = 0; hops < 10; hops++) {
            if (cur == id)
                throw ActionRequest.invalid(
                        "/originalId", "a case cannot be a duplicate of itself");
            try (PreparedStatement ps =
                    c.prepareStatement("SELECT duplicate_of FROM incident WHERE id = ?")) {
                ps.setLong(1, cur);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next())
                        throw ActionRequest.invalid(
                                "/originalId", "incident " + cur + " does not exist");
                    long next = rs.getLong(1);
                    if (rs.wasNull()) return cur;
                    cur = next;
                }
            }
        }
        throw ActionRequest.invalid(
                "/originalId", "the chain of duplicates from " + originalId + " is too long");
    }

    private Long checkAssignee(Connection c, long staffId, String platform) throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement("SELECT role, platform, on_duty FROM staff WHERE id = ?")) {
            ps.setLong(1, staffId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) throw invalidAssignee(staffId, "no such member of staff");
                String role = rs.getString(1);
                if (!rs.getBoolean(3)) throw invalidAssignee(staffId, "is not on duty");
                var away = roster.book().leaveAt(staffId, clock.instant());
                if (away.isPresent())
                    throw invalidAssignee(
                            staffId,
                            "is on leave until "
                                    + away.get().end().atZone(roster.zone()).toLocalDateTime());
                boolean platformStaff =
                        (role.equals("PLATFORM_HANDLER") || role.equals("PLATFORM_COMMANDER"))
                                && platform.equals(rs.getString(2));
                if (!platformStaff && !role.equals("GRID_WORKER")) {
                    throw invalidAssignee(
                            staffId,
                            "is a "
                                    + role
                                    + (rs.getString(2) == null ? "" : " of " + rs.getString(2))
                                    + "; a case of "
                                    + platform
                                    + " goes to that platform's handlers or to a grid worker");
                }
                return staffId;
            }
        }
    }

    private static ProblemException invalidAssignee(long id, String why) {
        return new ProblemException(
                Problem.of(
                        422,
                        "invalid-assignee",
                        "The assignee cannot take this case",
                        "staff " + id + " " + why,
                        "/assigneeId"));
    }

    private Long autoAssignee(
            Connection c, String category, String platform, Long gridId, Instant reportedAt)
            throws SQLException {
        if (dispatch.at(reportedAt).handlerKind(category, platform).equals("GRID_WORKER")
                && gridId != null) {
            // the same rule as intake's routing, at the time of dispatch
            GridPeople people = GridPeopleQueries.of(c, gridId);
            Long onDuty = DutyRule.onDuty(people, clock.instant(), roster.book()).staffId();
            if (onDuty != null) return onDuty;
        }
        // the platform's on-duty handler with the fewest cases in hand
        try (PreparedStatement ps =
                c.prepareStatement(
                        """
                SELECT s.id FROM staff s
                WHERE s.role = 'PLATFORM_HANDLER' AND s.platform = ? AND s.on_duty
                ORDER BY (SELECT count(*) FROM incident i WHERE i.assignee_id = s.id AND i.status IN ('DISPATCHED', 'IN_PROGRESS', 'COORDINATION')), s.id
                LIMIT 1""")) {
            ps.setString(1, platform);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) return rs.getLong(1);
            }
        }
        throw new ProblemException(
                Problem.of(
                        422,
                        "no-handler",
                        "Nobody can take the case",
                        "no on-duty handler of platform " + platform + "; name an 'assigneeId'",
                        "/assigneeId"));
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
