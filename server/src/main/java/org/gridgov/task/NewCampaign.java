package org.gridgov.task;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.gridgov.api.JsonBody;
import org.gridgov.area.LandUse;
import org.gridgov.category.CategoryCatalog;
import org.gridgov.place.PlaceKinds;

/**
 * A campaign as requested, decoded at the edge: its targets (places of some kinds, or base units of
 * some land uses; within a community or an area when given), its period and its checklist.
 */
public record NewCampaign(
        String name,
        TaskKind kind,
        TargetType targetType,
        List<String> placeKinds,
        List<String> landUses,
        Long communityId,
        String area,
        OffsetDateTime startsAt,
        OffsetDateTime endsAt,
        List<CheckItem> checks) {

    static final Set<String> PLACE_KINDS = Set.copyOf(PlaceKinds.PLACES);
    static final Set<String> LAND_USES = Set.copyOf(LandUse.NAMES);
    static final int MAX_DAYS = 366;

    static NewCampaign parse(ObjectNode o, CategoryCatalog catalog) {
        Set<String> fields =
                Set.of(
                        "name",
                        "kind",
                        "target",
                        "communityId",
                        "area",
                        "startsAt",
                        "days",
                        "endsAt",
                        "checks");
        for (var it = o.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!fields.contains(f)) throw TaskRoutes.bad("/" + f, "unknown field '" + f + "'");
        }
        String name = JsonBody.optionalText(o, "name", "/name", 200);
        if (name == null || name.isBlank()) throw TaskRoutes.bad("/name", "give the name");
        String k = JsonBody.optionalText(o, "kind", "/kind", 20);
        TaskKind kind;
        try {
            kind = TaskKind.valueOf(k == null ? "INSPECTION" : k);
        } catch (IllegalArgumentException e) {
            kind = TaskKind.RECHECK;
        }
        if (kind == TaskKind.RECHECK)
            throw TaskRoutes.bad("/kind", "the kind is INSPECTION, VISIT or SURVEY");
        JsonNode tg = o.get("target");
        if (tg == null || !tg.isObject())
            throw TaskRoutes.bad(
                    "/target",
                    "give the targets: {\"type\": \"PLACE\", \"placeKinds\": [...]} or"
                            + " {\"type\": \"UNIT\", \"landUses\": [...]}");
        String type = tg.path("type").asText("");
        List<String> kinds = null, uses = null;
        TargetType tt;
        if (type.equals("PLACE")) {
            tt = TargetType.PLACE;
            kinds = names(tg.get("placeKinds"), "/target/placeKinds", PLACE_KINDS);
        } else if (type.equals("UNIT")) {
            tt = TargetType.UNIT;
            uses = names(tg.get("landUses"), "/target/landUses", LAND_USES);
        } else throw TaskRoutes.bad("/target/type", "a campaign targets PLACE or UNIT");
        Long community = null;
        JsonNode cm = o.get("communityId");
        if (cm != null && !cm.isNull()) {
            if (!cm.isIntegralNumber()) throw TaskRoutes.bad("/communityId", "a community id");
            community = cm.asLong();
        }
        String area = null;
        JsonNode a = o.get("area");
        if (a != null && !a.isNull()) {
            if (!a.isObject()
                    || !Set.of("Polygon", "MultiPolygon").contains(a.path("type").asText()))
                throw TaskRoutes.bad("/area", "the area is a GeoJSON Polygon or MultiPolygon");
            area = a.toString();
        }
        OffsetDateTime starts = TaskRoutes.time(o, "startsAt");
        if (starts == null)
            starts = OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.SECONDS);
        OffsetDateTime ends = TaskRoutes.time(o, "endsAt");
        JsonNode d = o.get("days");
        if (d != null && !d.isNull()) {
            if (ends != null) throw TaskRoutes.bad("/days", "give days or endsAt, not both");
            if (!d.isIntegralNumber() || d.asInt() < 1 || d.asInt() > MAX_DAYS)
                throw TaskRoutes.bad("/days", "days is 1 to " + MAX_DAYS);
            ends = starts.plusDays(d.asInt());
        }
        if (ends == null) throw TaskRoutes.bad("/days", "give the campaign's days (or endsAt)");
        if (!ends.isAfter(starts)) throw TaskRoutes.bad("/endsAt", "endsAt is after startsAt");
        List<CheckItem> checks = CheckItem.parseAll(o.get("checks"), "/checks", catalog);
        if (checks.isEmpty()) throw TaskRoutes.bad("/checks", "a campaign has check items");
        return new NewCampaign(name, kind, tt, kinds, uses, community, area, starts, ends, checks);
    }

    private static List<String> names(JsonNode n, String p, Set<String> allowed) {
        if (n == null || !n.isArray() || n.isEmpty())
            throw TaskRoutes.bad(p, "give a non-empty list of " + allowed);
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n.size(); i++) {
            String s = n.get(i).asText("");
            if (!n.get(i).isTextual() || !allowed.contains(s))
                throw TaskRoutes.bad(p + "/" + i, "'" + n.get(i) + "' is not one of " + allowed);
            if (!out.contains(s)) out.add(s);
        }
        return List.copyOf(out);
    }
}
