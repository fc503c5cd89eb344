package org.gridgov.roster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.gridgov.api.Handlers;
import org.gridgov.api.JsonBody;
import org.gridgov.api.Problem;
import org.gridgov.api.ProblemException;
import org.gridgov.api.QueryParams;
import org.gridgov.api.Responses;
import org.gridgov.people.Access;
import org.gridgov.people.Principal;
import org.gridgov.people.Role;

/**
 * Rosters and leave (docs/rosters.md): GET/POST /api/v1/rosters, DELETE /api/v1/rosters/{id}, GET
 * /api/v1/rosters/on-duty, GET/POST /api/v1/leave, DELETE /api/v1/leave/{id} (cancels). Times
 * without an offset are read in the area's time zone; every write refreshes this instance's {@link
 * DutyRoster} before it answers, so the next report is routed by it.
 */
public final class RosterRoutes {

    private static final Set<String> SHIFT_FIELDS =
            Set.of("staffId", "from", "to", "start", "end", "days", "note");
    private static final Set<String> LEAVE_FIELDS =
            Set.of("staffId", "start", "end", "kind", "substituteId", "note");

    private final RosterStore store;
    private final DutyRoster roster;
    private final WorkingDays calendar;
    private final Clock clock;

    public RosterRoutes(RosterStore store, DutyRoster roster, WorkingDays calendar, Clock clock) {
        this.store = store;
        this.roster = roster;
        this.calendar = calendar;
        this.clock = clock;
    }

    public void mount(Router r) {
        r.get("/api/v1/rosters/on-duty").handler(this::onDuty);
        r.get("/api/v1/rosters").handler(this::shifts);
        r.post("/api/v1/rosters").handler(this::addShifts);
        r.delete("/api/v1/rosters/:id").handler(this::deleteShift);
        r.get("/api/v1/leave").handler(this::leave);
        r.post("/api/v1/leave").handler(this::addLeave);
        r.delete("/api/v1/leave/:id").handler(this::cancelLeave);
    }

    private ZoneId zone() {
        return roster.zone();
    }

    // ---- shifts

    private void shifts(RoutingContext ctx) {
        Long own = Access.require(ctx).subdistrictId(); // the isolation rule
        Long staffId = QueryParams.positiveLong(ctx, "staffId");
        Instant[] period = period(ctx);
        int limit = QueryParams.whole(ctx, "limit", 1, 5000, 1000);
        Handlers.blocking(
                ctx,
                () -> store.shifts(own, staffId, period[0], period[1], limit),
                (c, list) -> {
                    ObjectNode n = Responses.JSON.createObjectNode();
                    ArrayNode arr = n.putArray("shifts");
                    list.forEach(s -> arr.add(json(s)));
                    n.put("numberReturned", list.size());
                    n.put("timeZone", zone().getId());
                    Responses.json(c, 200, n);
                });
    }

    private void addShifts(RoutingContext ctx) {
        Principal p = Access.requireAny(ctx, Role.MANAGES_ROSTERS);
        ObjectNode b = JsonBody.object(ctx.body().buffer());
        onlyFields(b, SHIFT_FIELDS);
        long staffId = id(b, "staffId");
        LocalDate from = required(b, "from", LocalDate::parse, "a date, e.g. 2026-12-07");
        LocalDate to = required(b, "to", LocalDate::parse, "a date, e.g. 2026-12-11");
        LocalTime start = required(b, "start", LocalTime::parse, "a local time, e.g. 08:30");
        LocalTime end = required(b, "end", LocalTime::parse, "a local time, e.g. 17:30");
        ShiftPattern.Days days =
                b.hasNonNull("days")
                        ? enumOf(b, "days", ShiftPattern.Days.class)
                        : ShiftPattern.Days.WORKING;
        String note = note(b);
        if (to.isBefore(from))
            throw invalid("/to", "the roster ends (" + to + ") before it starts (" + from + ")");
        if (ChronoUnit.DAYS.between(from, to) >= ShiftPattern.MAX_DAYS)
            throw invalid(
                    "/to", "a roster covers at most " + ShiftPattern.MAX_DAYS + " days at a time");
        if (end.equals(start))
            throw invalid(
                    "/end",
                    "a shift that ends when it starts is empty; an earlier end runs"
                            + " overnight");
        List<ShiftPattern.Interval> times =
                new ShiftPattern(from, to, start, end, days).expand(zone(), calendar);
        if (times.isEmpty())
            throw invalid("/days", "no " + days + " day lies between " + from + " and " + to);
        Handlers.blocking(
                ctx,
                () -> {
                    requireMayManage(p, staffId, "/staffId");
                    return refreshed(store.addShifts(p.staffId(), staffId, times, note, zone()));
                },
                (c, list) -> {
                    ObjectNode n = Responses.JSON.createObjectNode();
                    ArrayNode arr = n.putArray("shifts");
                    list.forEach(s -> arr.add(json(s)));
                    Responses.json(c, 201, n);
                });
    }

    private void deleteShift(RoutingContext ctx) {
        Principal p = Access.requireAny(ctx, Role.MANAGES_ROSTERS);
        long id = Handlers.pathId(ctx, "id");
        Handlers.blocking(
                ctx,
                () -> {
                    Optional<Long> person = store.personOf("duty_shift", id);
                    if (person.isPresent()) requireMayManage(p, person.get(), null);
                    return refreshed(store.deleteShift(p.staffId(), id, zone()));
                },
                (c, deleted) -> {
                    if (!deleted)
                        throw new ProblemException(
                                Problem.notFound("shift " + id + " does not exist"));
                    c.response().setStatusCode(204).end();
                });
    }

    private void onDuty(RoutingContext ctx) {
        Long gridId = QueryParams.positiveLong(ctx, "gridId");
        if (gridId == null)
            throw new ProblemException(Problem.invalidParameter("gridId", "'gridId' is required"));
        OffsetDateTime at = QueryParams.time(ctx, "at");
        Instant t = at == null ? clock.instant() : at.toInstant();
        Handlers.blocking(
                ctx,
                () -> store.gridPeople(gridId),
                (c, people) -> {
                    if (people.isEmpty())
                        throw new ProblemException(
                                Problem.notFound("grid " + gridId + " does not exist"));
                    Duty d = DutyRule.onDuty(people.get(), t, roster.book());
                    ObjectNode n = Responses.JSON.createObjectNode();
                    n.put("gridId", gridId);
                    n.put("at", t.atZone(zone()).toOffsetDateTime().toString());
                    putId(n, "staffId", d.staffId());
                    n.put("reason", d.reason().name());
                    putId(n, "workerId", people.get().workerId());
                    putId(n, "backupWorkerId", people.get().backupWorkerId());
                    putId(n, "gridLeaderId", people.get().leaderId());
                    Responses.json(c, 200, n);
                });
    }

    // ---- leave

    private void leave(RoutingContext ctx) {
        Long own = Access.require(ctx).subdistrictId(); // the isolation rule
        Long staffId = QueryParams.positiveLong(ctx, "staffId");
        Instant[] period = period(ctx);
        String cancelled = QueryParams.oneOf(ctx, "cancelled", List.of("true", "false"));
        int limit = QueryParams.whole(ctx, "limit", 1, 5000, 1000);
        Handlers.blocking(
                ctx,
                () ->
                        store.leave(
                                own,
                                staffId,
                                period[0],
                                period[1],
                                "true".equals(cancelled),
                                limit),
                (c, list) -> {
                    ObjectNode n = Responses.JSON.createObjectNode();
                    ArrayNode arr = n.putArray("leave");
                    list.forEach(l -> arr.add(json(l)));
                    n.put("numberReturned", list.size());
                    n.put("timeZone", zone().getId());
                    Responses.json(c, 200, n);
                });
    }

    private void addLeave(RoutingContext ctx) {
        Principal p = Access.requireAny(ctx, Role.MANAGES_ROSTERS);
        ObjectNode b = JsonBody.object(ctx.body().buffer());
        onlyFields(b, LEAVE_FIELDS);
        long staffId = id(b, "staffId");
        Instant start = instant(b, "start");
        Instant end = instant(b, "end");
        LeaveKind kind = enumOf(b, "kind", LeaveKind.class);
        Long substitute = b.hasNonNull("substituteId") ? id(b, "substituteId") : null;
        String note = note(b);
        if (!end.isAfter(start))
            throw invalid(
                    "/end",
                    "the leave ends ("
                            + local(end)
                            + ") "
                            + (end.equals(start) ? "when" : "before")
                            + " it starts ("
                            + local(start)
                            + ")");
        if (Duration.between(start, end).toDays() > 366)
            throw invalid("/end", "leave lasts at most 366 days; record a longer absence twice");
        if (substitute != null && substitute == staffId)
            throw invalid("/substituteId", "a person cannot substitute for themselves");
        Handlers.blocking(
                ctx,
                () -> {
                    requireMayManage(p, staffId, "/staffId");
                    if (substitute != null) requireMayManage(p, substitute, "/substituteId");
                    return refreshed(
                            store.addLeave(
                                    p.staffId(),
                                    staffId,
                                    start,
                                    end,
                                    kind,
                                    substitute,
                                    note,
                                    zone()));
                },
                (c, l) -> {
                    c.response().putHeader("Location", "/api/v1/leave/" + l.id());
                    Responses.json(c, 201, json(l));
                });
    }

    private void cancelLeave(RoutingContext ctx) {
        Principal p = Access.requireAny(ctx, Role.MANAGES_ROSTERS);
        long id = Handlers.pathId(ctx, "id");
        Handlers.blocking(
                ctx,
                () -> {
                    Optional<Long> person = store.personOf("staff_leave", id);
                    if (person.isPresent()) requireMayManage(p, person.get(), null);
                    return refreshed(store.cancelLeave(p.staffId(), id, zone()));
                },
                (c, l) ->
                        Responses.json(
                                c,
                                200,
                                json(
                                        l.orElseThrow(
                                                () ->
                                                        new ProblemException(
                                                                Problem.notFound(
                                                                        "leave "
                                                                                + id
                                                                                + " does not exist"))))));
    }

    // ---- parsing and output

    /** ?from&to (ISO-8601 with offset); by default the coming week from now. */
    private Instant[] period(RoutingContext ctx) {
        OffsetDateTime from = QueryParams.time(ctx, "from"), to = QueryParams.time(ctx, "to");
        Instant f = from != null ? from.toInstant() : clock.instant();
        Instant t = to != null ? to.toInstant() : f.plus(Duration.ofDays(7));
        if (!t.isAfter(f))
            throw new ProblemException(Problem.invalidParameter("to", "'to' must be after 'from'"));
        return new Instant[] {f, t};
    }

    /**
     * A grid leader (and nothing more) manages the staff of their own community only; the other
     * roles of MANAGES_ROSTERS anyone's in their subdistrict (everyone's, district-wide).
     */
    private void requireMayManage(Principal p, long staffId, String field) throws SQLException {
        // the isolation rule first: a subdistrict's managers manage its staff only
        if (p.subdistrictId() != null)
            store.requireInSubdistrict(staffId, p.subdistrictId(), field);
        if (p.roles().stream().anyMatch(Role.MANAGES_ALL_ROSTERS::contains)) return;
        Long community = p.scope() == null ? null : p.scope().communityId();
        if (community == null)
            throw Access.forbidden("a grid leader without a community manages no rosters");
        store.requireInCommunity(staffId, community, field);
    }

    /** Re-reads the book so this instance routes by the change at once. */
    private <T> T refreshed(T result) throws SQLException {
        roster.refreshIfChanged();
        return result;
    }

    /** A date-time with an offset, or a local one read in the area's time zone. */
    private Instant instant(JsonNode b, String field) {
        String v = text(b, field);
        try {
            return OffsetDateTime.parse(v).toInstant();
        } catch (DateTimeParseException e) {
            try {
                return LocalDateTime.parse(v).atZone(zone()).toInstant();
            } catch (DateTimeParseException e2) {
                throw invalid(
                        "/" + field,
                        "'"
                                + v
                                + "' is not a date-time, e.g. 2026-12-07T09:00 (in "
                                + zone().getId()
                                + ") or 2026-12-07T09:00:00+08:00");
            }
        }
    }

    private String local(Instant t) {
        return t.atZone(zone()).toLocalDateTime().toString();
    }

    private ObjectNode json(Shift s) {
        ObjectNode o = Responses.JSON.createObjectNode();
        o.put("id", s.id());
        o.put("staffId", s.staffId());
        o.put("start", s.start().atZone(zone()).toOffsetDateTime().toString());
        o.put("end", s.end().atZone(zone()).toOffsetDateTime().toString());
        o.put("note", s.note());
        return o;
    }

    private ObjectNode json(Leave l) {
        ObjectNode o = Responses.JSON.createObjectNode();
        o.put("id", l.id());
        o.put("staffId", l.staffId());
        o.put("start", l.start().atZone(zone()).toOffsetDateTime().toString());
        o.put("end", l.end().atZone(zone()).toOffsetDateTime().toString());
        o.put("kind", l.kind().name());
        putId(o, "substituteId", l.substituteId());
        o.put("note", l.note());
        if (l.cancelledAt() == null) o.putNull("cancelledAt");
        else o.put("cancelledAt", l.cancelledAt().atZone(zone()).toOffsetDateTime().toString());
        return o;
    }

    private static void putId(ObjectNode o, String field, Long v) {
        if (v == null) o.putNull(field);
        else o.put(field, v);
    }

    private static void onlyFields(ObjectNode b, Set<String> allowed) {
        for (var it = b.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!allowed.contains(f))
                throw invalid(
                        "/" + f,
                        "unknown field '"
                                + f
                                + "'; the fields are "
                                + allowed.stream().sorted().toList());
        }
    }

    private static String text(JsonNode b, String field) {
        JsonNode v = b.get(field);
        if (v == null || v.isNull()) throw invalid("/" + field, "'" + field + "' is required");
        if (!v.isTextual()) throw invalid("/" + field, "'" + field + "' must be a string");
        return v.asText();
    }

    private static <T> T required(
            JsonNode b, String field, Function<String, T> parse, String expected) {
        String v = text(b, field);
        try {
            return parse.apply(v);
        } catch (DateTimeParseException e) {
            throw invalid("/" + field, "'" + v + "' is not " + expected);
        }
    }

    private static long id(JsonNode b, String field) {
        JsonNode v = b.get(field);
        if (v == null || v.isNull()) throw invalid("/" + field, "'" + field + "' is required");
        if (!v.canConvertToLong() || !v.isIntegralNumber() || v.asLong() <= 0)
            throw invalid("/" + field, "'" + field + "' must be a positive whole number");
        return v.asLong();
    }

    private static <E extends Enum<E>> E enumOf(JsonNode b, String field, Class<E> type) {
        String v = text(b, field);
        try {
            return Enum.valueOf(type, v);
        } catch (IllegalArgumentException e) {
            throw invalid(
                    "/" + field,
                    "'"
                            + v
                            + "' is not a valid "
                            + field
                            + "; one of "
                            + Arrays.toString(type.getEnumConstants()));
        }
    }

    private static String note(JsonNode b) {
        if (!b.hasNonNull("note")) return "";
        String v = text(b, "note");
        if (v.length() > 500) throw invalid("/note", "'note' is longer than 500 characters");
        return v;
    }

    private static ProblemException invalid(String field, String detail) {
        return new ProblemException(Problem.invalidField(field, detail));
    }
}
