package org.gridgov.grid;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.gridgov.api.Responses;
import org.gridgov.rebalance.GridInfo;
import org.gridgov.rebalance.PlanLayout;
import org.gridgov.rebalance.PlanMetrics;
import org.gridgov.rebalance.UnitGraph;
import org.gridgov.rebalance.UnitWorkloads;

/**
 * Two plans side by side, grids matched by code (a grid's identity across plans): units moved,
 * grids added/removed, split (its units went to several grids, each taking at least a tenth),
 * merged (its units came from several), changed, the grid workers affected, and both plans' metrics
 * under the same workload.
 */
public final class PlanComparison {

    static final double SIGNIFICANT = 0.1;

    private PlanComparison() {}

    public static ObjectNode compare(
            long aId, PlanLayout a, long bId, PlanLayout b, UnitGraph g, UnitWorkloads w) {
        Map<String, Map<String, Integer>> flow = new TreeMap<>(), inflow = new TreeMap<>();
        Map<String, Integer> sizeA = new HashMap<>(), sizeB = new HashMap<>();
        int moved = 0;
        for (int u = 0; u < g.size(); u++) {
            String ca = a.gridOf[u] < 0 ? null : a.grids.get(a.gridOf[u]).code();
            String cb = b.gridOf[u] < 0 ? null : b.grids.get(b.gridOf[u]).code();
            if (ca == null ? cb != null : !ca.equals(cb)) moved++;
            if (ca != null) sizeA.merge(ca, 1, Integer::sum);
            if (cb != null) sizeB.merge(cb, 1, Integer::sum);
            if (ca != null && cb != null) {
                flow.computeIfAbsent(ca, k -> new HashMap<>()).merge(cb, 1, Integer::sum);
                inflow.computeIfAbsent(cb, k -> new HashMap<>()).merge(ca, 1, Integer::sum);
            }
        }
        Map<String, GridInfo> byCodeA = new HashMap<>(), byCodeB = new HashMap<>();
        a.grids.forEach(x -> byCodeA.put(x.code(), x));
        b.grids.forEach(x -> byCodeB.put(x.code(), x));
        Set<String> added = new TreeSet<>(byCodeB.keySet()),
                removed = new TreeSet<>(byCodeA.keySet());
        added.removeAll(byCodeA.keySet());
        removed.removeAll(byCodeB.keySet());
        Set<String> split = new TreeSet<>(), merged = new TreeSet<>(), changed = new TreeSet<>();
        flow.forEach(
                (ca, to) -> {
                    long parts =
                            to.values().stream()
                                    .filter(n -> n >= SIGNIFICANT * sizeA.get(ca))
                                    .count();
                    if (parts >= 2) split.add(ca);
                    int stayed = to.getOrDefault(ca, 0),
                            had = sizeA.get(ca),
                            has = sizeB.getOrDefault(ca, 0);
                    if (byCodeB.containsKey(ca) && (stayed != had || had != has)) changed.add(ca);
                });
        inflow.forEach(
                (cb, from) -> {
                    long parts =
                            from.values().stream()
                                    .filter(n -> n >= SIGNIFICANT * sizeB.get(cb))
                                    .count();
                    if (parts >= 2) merged.add(cb);
                });
        Set<Long> workers = new TreeSet<>();
        Set<String> touched = new HashSet<>(changed);
        touched.addAll(split);
        touched.addAll(removed);
        for (String code : touched)
            if (byCodeA.containsKey(code) && byCodeA.get(code).workerId() != null)
                workers.add(byCodeA.get(code).workerId());
        for (String code : byCodeB.keySet()) {
            GridInfo gb = byCodeB.get(code), ga = byCodeA.get(code);
            if (ga != null && gb.workerId() != null && !gb.workerId().equals(ga.workerId())) {
                workers.add(gb.workerId());
                if (ga.workerId() != null) workers.add(ga.workerId());
            }
        }
        ObjectNode out = Responses.JSON.createObjectNode();
        out.put("a", aId);
        out.put("b", bId);
        out.put("unitsMoved", moved);
        out.put("unitsMovedShare", Math.round(moved * 10_000.0 / Math.max(1, g.size())) / 10_000.0);
        array(out, "gridsAdded", added);
        array(out, "gridsRemoved", removed);
        array(out, "gridsSplit", split);
        array(out, "gridsMerged", merged);
        array(out, "gridsChanged", changed);
        ArrayNode wa = out.putArray("workersAffected");
        workers.forEach(wa::add);
        out.set("before", metrics(g, w, a));
        out.set("after", metrics(g, w, b));
        return out;
    }

    private static void array(ObjectNode out, String name, Set<String> codes) {
        ArrayNode arr = out.putArray(name);
        codes.forEach(arr::add);
    }

    public static ObjectNode metrics(UnitGraph g, UnitWorkloads w, PlanLayout l) {
        PlanMetrics.Summary s = new PlanMetrics(g, w, l).summary(l.grids);
        ObjectNode n = Responses.JSON.createObjectNode();
        n.put("grids", l.gridCount());
        n.put("basicGrids", s.basicGrids());
        n.put("meanWorkload", Math.round(s.meanWorkload() * 10) / 10.0);
        n.put("maxDeviation", Math.round(s.maxDeviation() * 10_000) / 10_000.0);
        n.put("meanPolsbyPopper", Math.round(s.meanPolsbyPopper() * 10_000) / 10_000.0);
        n.put("contiguousShare", s.contiguousShare());
        return n;
    }
}
