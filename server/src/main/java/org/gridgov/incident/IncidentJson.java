package org.gridgov.incident;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import org.gridgov.api.Responses;

/** How incidents and their events look on the wire. Times are given in the area's time zone. */
public final class IncidentJson {

    static ZoneId zone = ZoneId.of("Asia/Shanghai");

    private IncidentJson() {}

    /**
     * How a reporter's name and phone are written: as given (to the reporter who sent them, and to
     * the roles of people/AccessRules.REPORTER, logged), or masked by {@link ReporterMask}.
     */
    public enum Reporter {
        AS_GIVEN,
        MASKED
    }

    /**
     * The incident; its reporter ({name, phone, masked}) as given or masked, absent when the report
     * named none (or the retention job has erased it).
     */
    public static ObjectNode incident(Incident i, Reporter reporter) {
        ObjectNode n = Responses.JSON.createObjectNode();
        n.put("id", i.id());
        properties(n, i);
        reporter(n, i, reporter);
        ObjectNode loc = n.putObject("location");
        loc.put("type", "Point");
        loc.putArray("coordinates").add(i.lon()).add(i.lat());
        return n;
    }

    /** Whether the incident has reporter details to show (or to log a read of). */
    static boolean hasReporter(Incident i) {
        return i.state() != null
                && (i.state().reporterName() != null || i.state().reporterPhone() != null);
    }

    private static void reporter(ObjectNode n, Incident i, Reporter how) {
        if (!hasReporter(i)) return;
        String name = i.state().reporterName(), phone = i.state().reporterPhone();
        boolean masked = how == Reporter.MASKED;
        n.putObject("reporter")
                .put("name", masked ? ReporterMask.name(name) : name)
                .put("phone", masked ? ReporterMask.phone(phone) : phone)
                .put("masked", masked);
    }

    /** A GeoJSON Feature: the location is the geometry, the rest are properties. */
    static ObjectNode feature(Incident i) {
        ObjectNode f = Responses.JSON.createObjectNode();
        f.put("type", "Feature");
        f.put("id", i.id());
        ObjectNode g = f.putObject("geometry");
        g.put("type", "Point");
        g.putArray("coordinates").add(i.lon()).add(i.lat());
        ObjectNode p = f.putObject("properties");
        p.put("id", i.id());
        properties(p, i);
        reporter(p, i, Reporter.MASKED); // lists and exports: masked for everyone
        return f;
    }

    private static void properties(ObjectNode n, Incident i) {
        n.put("status", i.status());
        n.put("version", i.version());
        n.put("category", i.category());
        n.put("channel", i.channel());
        n.put("description", i.description());
        n.put("reportedAt", time(i.reportedAt()));
        n.put("receivedAt", time(i.receivedAt()));
        n.put("updatedAt", time(i.updatedAt()));
        routing(n.putObject("routing"), i.routing());
        CaseState s = i.state();
        if (s != null) {
            ObjectNode cn = n.putObject("case");
            cn.put("step", s.step());
            cn.put("stepDueAt", time(s.stepDueAt()));
            cn.put("urgency", s.urgency());
            cn.put("supervised", s.supervised());
            cn.put("parked", s.parked());
            cn.put("noOwner", s.noOwner());
            putLong(cn, "duplicateOf", s.duplicateOf());
            if (s.satisfaction() == null) cn.putNull("satisfaction");
            else cn.put("satisfaction", s.satisfaction());
            cn.put("closedAt", time(s.closedAt()));
        }
    }

    /**
     * Where a report goes: grid, community, platform, worker, due time (also the body of a routing
     * preview).
     */
    static ObjectNode routing(ObjectNode rn, Routing r) {
        rn.put("jurisdiction", r.jurisdiction());
        if (r.transferReason() != null) rn.put("transferReason", r.transferReason());
        putLong(rn, "planId", r.planId());
        putLong(rn, "gridId", r.gridId());
        rn.put("gridCode", r.gridCode());
        putLong(rn, "communityId", r.communityId());
        rn.put("platform", r.platform());
        putLong(rn, "assigneeId", r.assigneeId());
        rn.put("dueAt", time(r.dueAt()));
        return rn;
    }

    /**
     * The answer of POST /api/v1/incidents/preview: the routing and the first step's clock, nothing
     * stored.
     */
    static ObjectNode preview(IncidentReport report, Routing r, FirstStep first) {
        ObjectNode n = Responses.JSON.createObjectNode();
        n.put("category", report.category().code());
        n.put("reportedAt", time(report.reportedAt()));
        ObjectNode loc = n.putObject("location");
        loc.put("type", "Point");
        loc.putArray("coordinates").add(report.lon()).add(report.lat());
        routing(n.putObject("routing"), r);
        if (first == null) {
            n.putNull("firstStep");
        } else {
            n.putObject("firstStep").put("step", first.step()).put("dueAt", time(first.dueAt()));
        }
        return n;
    }

    static ObjectNode event(ResultSet rs) throws SQLException {
        ObjectNode e = Responses.JSON.createObjectNode();
        e.put("id", rs.getLong(1));
        e.put("at", time(rs.getObject(2, OffsetDateTime.class)));
        long actor = rs.getLong(3);
        if (rs.wasNull()) e.putNull("actorId");
        else e.put("actorId", actor);
        e.put("actorRole", rs.getString(4));
        e.put("type", rs.getString(5));
        e.put("fromStatus", rs.getString(6));
        e.put("toStatus", rs.getString(7));
        e.put("note", rs.getString(8));
        String data = rs.getString(9);
        if (data == null) {
            e.putNull("data");
        } else {
            try {
                e.set("data", Responses.JSON.readTree(data));
            } catch (IOException ex) {
                throw new SQLException("unreadable event data of event " + rs.getLong(1), ex);
            }
        }
        return e;
    }

    static ObjectNode page(java.util.List<Incident> rows, int limit, String nextLink) {
        ObjectNode fc = Responses.JSON.createObjectNode();
        fc.put("type", "FeatureCollection");
        ArrayNode features = fc.putArray("features");
        for (int k = 0; k < Math.min(rows.size(), limit); k++) features.add(feature(rows.get(k)));
        fc.put("numberReturned", features.size());
        ArrayNode links = fc.putArray("links");
        if (nextLink != null)
            links.addObject()
                    .put("rel", "next")
                    .put("type", "application/geo+json")
                    .put("href", nextLink);
        return fc;
    }

    static String time(OffsetDateTime t) {
        return t == null ? null : t.atZoneSameInstant(zone).toOffsetDateTime().toString();
    }

    private static void putLong(ObjectNode n, String name, Long v) {
        if (v == null) n.putNull(name);
        else n.put(name, v);
    }

    /**
     * The place and facility a case names (docs/places.md), for staff: {@code place: {id, name,
     * kind}}, {@code facility: {id, code, kind, department}}; nothing when it names neither.
     */
    public static ObjectNode withSubjects(ObjectNode n, ReportSubjects.Named s) {
        if (s.placeId() != null)
            n.putObject("place")
                    .put("id", s.placeId())
                    .put("name", s.placeName())
                    .put("kind", s.placeKind());
        if (s.facilityId() != null)
            n.putObject("facility")
                    .put("id", s.facilityId())
                    .put("code", s.facilityCode())
                    .put("kind", s.facilityKind())
                    .put("department", s.department());
        return n;
    }
}
