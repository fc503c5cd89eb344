package org.gridgov.workflow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import org.gridgov.api.Handlers;
import org.gridgov.api.JsonBody;
import org.gridgov.api.Problem;
import org.gridgov.api.ProblemException;
import org.gridgov.api.QueryParams;
import org.gridgov.api.Responses;
import org.gridgov.category.RefJson;
import org.gridgov.category.ReferenceData;
import org.gridgov.category.Versioned;

/**
 * The working calendar year by year (docs/reference-data.md): GET /api/v1/reference/calendar/years
 * (?at=T) shows each year's public holidays and make-up workdays (调休); PUT
 * /api/v1/reference/calendar/years/{year} replaces one year's, DELETE removes it, each a new
 * version of the calendar in force from {@code effectiveFrom}. Office hours, weekend and zone
 * change with the whole calendar (PUT /api/v1/reference/calendar).
 */
public final class CalendarRoutes {

    private final Versioned<WorkingCalendar> calendar;
    private final ReferenceData data;
    private final Function<RoutingContext, Long> actor;

    public CalendarRoutes(
            Versioned<WorkingCalendar> calendar,
            ReferenceData data,
            Function<RoutingContext, Long> actor) {
        this.calendar = calendar;
        this.data = data;
        this.actor = actor;
    }

    public void mount(Router r) {
        r.get("/api/v1/reference/calendar/years").handler(this::list);
        r.put("/api/v1/reference/calendar/years/:year").handler(this::put);
        r.delete("/api/v1/reference/calendar/years/:year").handler(this::delete);
    }

    private void list(RoutingContext ctx) {
        var t = QueryParams.time(ctx, "at");
        var v = calendar.versionAt(t == null ? Instant.now() : t.toInstant());
        ObjectNode root =
                Responses.JSON
                        .createObjectNode()
                        .put("version", v.id())
                        .put("effectiveFrom", v.effectiveFrom().toString())
                        .put("zone", v.value().zone().getId());
        ArrayNode hours = root.putArray("hours"), weekend = root.putArray("weekend");
        Map<Integer, ObjectNode> years = new TreeMap<>();
        for (Map<String, String> row : v.rows()) {
            String kind = row.get("kind"), value = row.get("value");
            switch (kind) {
                case "hours" -> hours.add(value);
                case "weekend" -> weekend.add(value);
                case "holiday", "workday" -> {
                    ObjectNode y =
                            years.computeIfAbsent(
                                    LocalDate.parse(value).getYear(), CalendarRoutes::year);
                    ((ArrayNode) y.get(kind.equals("holiday") ? "holidays" : "workdays"))
                            .add(value);
                }
                default -> {} // zone: above
            }
        }
        ArrayNode list = root.putArray("years");
        years.values().forEach(list::add);
        Responses.json(ctx, 200, root);
    }

    private static ObjectNode year(int y) {
        ObjectNode o = Responses.JSON.createObjectNode().put("year", y);
        o.putArray("holidays");
        o.putArray("workdays");
        return o;
    }

    private static int year(RoutingContext ctx) {
        String v = ctx.pathParam("year");
        if (!v.matches("(19|20|21)[0-9]{2}"))
            throw new ProblemException(
                    Problem.notFound("'" + v + "' is not a year (four digits, 1900 to 2199)"));
        return Integer.parseInt(v);
    }

    private void put(RoutingContext ctx) {
        int year = year(ctx);
        ObjectNode body = JsonBody.object(ctx.body().buffer());
        body.fieldNames()
                .forEachRemaining(
                        f -> {
                            if (!List.of("holidays", "workdays", "effectiveFrom", "note")
                                    .contains(f))
                                throw RefJson.invalid(
                                        "/" + f,
                                        "unknown field '"
                                                + f
                                                + "': holidays, workdays, effectiveFrom, note");
                        });
        Instant from =
                RefJson.effectiveFrom(body.get("effectiveFrom"), "/effectiveFrom", Instant.now());
        TreeSet<LocalDate> holidays = dates(body, "holidays", year, true);
        TreeSet<LocalDate> workdays = dates(body, "workdays", year, false);
        var base = calendar.versionAt(from);
        List<Map<String, String>> rows = without(base.rows(), year);
        holidays.forEach(d -> rows.add(Map.of("kind", "holiday", "value", d.toString())));
        workdays.forEach(d -> rows.add(Map.of("kind", "workday", "value", d.toString())));
        String note = RefJson.note(body.get("note"));
        write(ctx, rows, from, note.isEmpty() ? "year " + year : note, base.id());
    }

    private void delete(RoutingContext ctx) {
        int year = year(ctx);
        Instant from =
                RefJson.effectiveFrom(
                        Handlers.param(ctx, "effectiveFrom"), "effectiveFrom", Instant.now(), true);
        var base = calendar.versionAt(from);
        List<Map<String, String>> rows = without(base.rows(), year);
        if (rows.size() == base.rows().size())
            throw new ProblemException(
                    Problem.notFound("the calendar in force at " + from + " lists no " + year));
        write(ctx, rows, from, "removed year " + year, base.id());
    }

    private void write(
            RoutingContext ctx,
            List<Map<String, String>> rows,
            Instant from,
            String note,
            long basedOn) {
        Long by = actor.apply(ctx);
        Handlers.blocking(
                ctx,
                () -> data.write(WorkingCalendar.KIND, "/rows", rows, from, note, by, basedOn),
                (c, id) -> {
                    var v =
                            calendar.history().stream()
                                    .filter(x -> x.id() == id)
                                    .findFirst()
                                    .orElseThrow();
                    Responses.json(
                            c,
                            200,
                            Responses.JSON
                                    .createObjectNode()
                                    .put("kind", WorkingCalendar.KIND.name())
                                    .put("version", v.id())
                                    .put("effectiveFrom", v.effectiveFrom().toString())
                                    .put("note", v.note()));
                });
    }

    private static List<Map<String, String>> without(List<Map<String, String>> rows, int year) {
        List<Map<String, String>> out = new ArrayList<>();
        String prefix = year + "-";
        for (Map<String, String> r : rows) {
            boolean dated = r.get("kind").equals("holiday") || r.get("kind").equals("workday");
            if (!(dated && r.get("value").startsWith(prefix))) out.add(r);
        }
        return out;
    }

    private static TreeSet<LocalDate> dates(
            ObjectNode body, String field, int year, boolean required) {
        JsonNode n = body.get(field);
        TreeSet<LocalDate> out = new TreeSet<>();
        if (n == null && !required) return out;
        if (n == null || !n.isArray() || (required && n.isEmpty()))
            throw RefJson.invalid(
                    "/" + field,
                    "'"
                            + field
                            + "' is "
                            + (required ? "a non-empty" : "an")
                            + " array of dates (YYYY-MM-DD) in "
                            + year);
        for (int i = 0; i < n.size(); i++) {
            JsonNode d = n.get(i);
            LocalDate date;
            try {
                date = LocalDate.parse(d.isTextual() ? d.asText() : "");
            } catch (DateTimeParseException e) {
                throw RefJson.invalid(
                        "/" + field + "/" + i, "'" + d.asText() + "' is not a date (YYYY-MM-DD)");
            }
            if (date.getYear() != year)
                throw RefJson.invalid("/" + field + "/" + i, date + " is not in " + year);
            if (!out.add(date))
                throw RefJson.invalid("/" + field + "/" + i, date + " appears twice");
        }
        return out;
    }
}
