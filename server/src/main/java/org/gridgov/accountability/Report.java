package org.gridgov.accountability;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.gridgov.api.Responses;

/**
 * The findings of one question, grouped by platform, agency, grid or person: how many of each kind
 * per group (a finding naming several answerable people counts for each of them), and the findings
 * themselves, most serious first.
 */
public record Report(
        String periodLabel,
        OffsetDateTime from,
        OffsetDateTime to,
        By by,
        Set<FindingKind> kinds,
        Thresholds limits,
        List<Group> groups,
        List<Finding> findings) {

    /** One unit of the grouping, with its count per kind. */
    public record Group(String key, String label, Map<FindingKind, Integer> counts) {
        public int total() {
            return counts.values().stream().mapToInt(Integer::intValue).sum();
        }
    }

    public static Report of(
            String periodLabel,
            OffsetDateTime from,
            OffsetDateTime to,
            By by,
            Set<FindingKind> kinds,
            Thresholds limits,
            List<Finding> found) {
        List<Finding> sorted = new ArrayList<>(found);
        sorted.sort(
                Comparator.comparing(Finding::kind)
                        .thenComparing(Comparator.comparingDouble(Finding::measure).reversed())
                        .thenComparingLong(Finding::incidentId));
        Map<String, String> labels = new LinkedHashMap<>();
        Map<String, Map<FindingKind, Integer>> counts = new LinkedHashMap<>();
        for (Finding f : sorted) {
            for (String[] unit : units(by, f)) {
                labels.putIfAbsent(unit[0], unit[1]);
                counts.computeIfAbsent(unit[0], k -> new EnumMap<>(FindingKind.class))
                        .merge(f.kind(), 1, Integer::sum);
            }
        }
        List<Group> groups = new ArrayList<>();
        counts.forEach((k, v) -> groups.add(new Group(k, labels.get(k), v)));
        groups.sort(Comparator.comparingInt(Group::total).reversed().thenComparing(Group::key));
        return new Report(periodLabel, from, to, by, kinds, limits, groups, sorted);
    }

    /** The units a finding counts for: {key, label}; "-" when the case has none. */
    public static List<String[]> units(By by, Finding f) {
        return switch (by) {
            case PLATFORM -> List.<String[]>of(new String[] {f.platform(), f.platform()});
            case AGENCY ->
                    List.<String[]>of(
                            f.agencyId() == null
                                    ? new String[] {"-", "-"}
                                    : new String[] {"" + f.agencyId(), f.agencyName()});
            case GRID ->
                    List.<String[]>of(
                            f.gridCode() == null
                                    ? new String[] {"-", "-"}
                                    : new String[] {f.gridCode(), f.gridName()});
            case PERSON -> {
                Set<Long> seen = new LinkedHashSet<>();
                List<String[]> out = new ArrayList<>();
                for (Person p : f.people())
                    if (p.answerable() && seen.add(p.id()))
                        out.add(new String[] {"" + p.id(), p.name() + " (" + p.role() + ")"});
                if (out.isEmpty()) out.add(new String[] {"-", "-"});
                yield out;
            }
        };
    }

    /** The JSON answer; at most {@code limit} findings are listed (the groups count them all). */
    public ObjectNode json(int limit) {
        ObjectNode n = Responses.JSON.createObjectNode();
        if (periodLabel != null) n.put("period", periodLabel);
        n.put("from", from.toString()).put("to", to.toString()).put("by", by.wire());
        ArrayNode k = n.putArray("kinds");
        kinds.forEach(x -> k.add(x.wire));
        n.putObject("thresholds")
                .put("minHops", limits.minHops())
                .put("minExtensions", limits.minExtensions())
                .put("minReworks", limits.minReworks())
                .put("noOwnerHours", limits.noOwnerHours());
        ObjectNode totals = n.putObject("totals");
        for (FindingKind x : kinds)
            totals.put(x.wire, findings.stream().filter(f -> f.kind() == x).count());
        ArrayNode gs = n.putArray("groups");
        for (Group g : groups) {
            ObjectNode o = gs.addObject().put("key", g.key()).put("label", g.label());
            ObjectNode c = o.putObject("counts");
            for (FindingKind x : kinds) c.put(x.wire, g.counts().getOrDefault(x, 0));
            o.put("total", g.total());
        }
        ArrayNode fs = n.putArray("findings");
        for (Finding f : findings.subList(0, Math.min(limit, findings.size()))) fs.add(json(f));
        n.put("truncated", findings.size() > limit);
        return n;
    }

    static ObjectNode json(Finding f) {
        ObjectNode o = Responses.JSON.createObjectNode();
        o.put("kind", f.kind().wire)
                .put("incidentId", f.incidentId())
                .put("history", f.history())
                .put("status", f.status())
                .put("category", f.category())
                .put("platform", f.platform());
        if (f.agencyId() == null) o.putNull("agency");
        else o.putObject("agency").put("id", f.agencyId()).put("name", f.agencyName());
        if (f.gridId() == null) o.putNull("grid");
        else
            o.putObject("grid")
                    .put("id", f.gridId())
                    .put("code", f.gridCode())
                    .put("name", f.gridName());
        o.put("measure", f.measure()).put("unit", f.kind().unit);
        o.set("people", Responses.JSON.valueToTree(f.people()));
        o.set("steps", f.steps());
        return o;
    }
}
