package org.gridgov.rebalance;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * How many basic grids each community gets. Grids never cross a community line, so a community's
 * mean grid workload W_c / k_c bounds what balancing inside it can reach: the counts decide the
 * achievable deviation before a single unit moves.
 */
public final class GridCounts {

    private GridCounts() {}

    /** Workload and current basic grid count of each community that has movable units. */
    public record Community(double workload, int grids) {}

    public static Map<Long, Community> communities(
            UnitGraph g, double[] load, PlanLayout layout, boolean includeSpecial) {
        Map<Long, Double> w = new TreeMap<>();
        Map<Long, java.util.Set<Integer>> grids = new HashMap<>();
        for (int u = 0; u < g.size(); u++) {
            int gi = layout.gridOf[u];
            if (gi >= 0 && layout.grids.get(gi).special() && !includeSpecial) continue;
            w.merge(g.community[u], load[u], Double::sum);
            if (gi >= 0)
                grids.computeIfAbsent(g.community[u], k -> new java.util.HashSet<>()).add(gi);
        }
        Map<Long, Community> out = new TreeMap<>();
        w.forEach(
                (c, l) ->
                        out.put(
                                c,
                                new Community(
                                        l, grids.getOrDefault(c, java.util.Set.of()).size())));
        return out;
    }

    /** Every community keeps its current count. */
    public static Map<Long, Integer> keepEach(Map<Long, Community> cs) {
        Map<Long, Integer> out = new TreeMap<>();
        cs.forEach((c, v) -> out.put(c, Math.max(1, v.grids())));
        return out;
    }

    /**
     * The total kept, shared out by workload with the D'Hondt rule (each next grid goes to the
     * community with the largest W_c / k_c), which minimises the heaviest community mean. A
     * community never drops below one grid.
     */
    public static Map<Long, Integer> apportion(Map<Long, Community> cs, int total) {
        Map<Long, Integer> out = new TreeMap<>();
        cs.keySet().forEach(c -> out.put(c, 1));
        int given = cs.size();
        while (given < total) {
            long best = -1;
            double bestQ = -1;
            for (var e : cs.entrySet()) {
                double q = e.getValue().workload() / out.get(e.getKey());
                if (q > bestQ) {
                    bestQ = q;
                    best = e.getKey();
                }
            }
            out.merge(best, 1, Integer::sum);
            given++;
        }
        return out;
    }

    /** One grid per capacity of workload, rounded, at least one. */
    public static Map<Long, Integer> byCapacity(Map<Long, Community> cs, double capacity) {
        Map<Long, Integer> out = new TreeMap<>();
        cs.forEach((c, v) -> out.put(c, (int) Math.max(1, Math.round(v.workload() / capacity))));
        return out;
    }

    /**
     * One grid per householdsPerGrid households of the community's movable units, rounded, at least
     * one: how a first plan is sized (300–500 households per grid is common practice).
     */
    public static Map<Long, Integer> byHouseholds(
            UnitGraph g,
            PlanLayout layout,
            Map<Long, Community> cs,
            int householdsPerGrid,
            boolean includeSpecial) {
        Map<Long, Long> hh = new TreeMap<>();
        for (int u = 0; u < g.size(); u++) {
            int gi = layout.gridOf[u];
            if (gi >= 0 && layout.grids.get(gi).special() && !includeSpecial) continue;
            hh.merge(g.community[u], (long) g.households[u], Long::sum);
        }
        Map<Long, Integer> out = new TreeMap<>();
        cs.keySet()
                .forEach(
                        c ->
                                out.put(
                                        c,
                                        (int)
                                                Math.max(
                                                        1,
                                                        Math.round(
                                                                hh.getOrDefault(c, 0L)
                                                                        / (double)
                                                                                householdsPerGrid))));
        return out;
    }

    public static int total(Map<Long, Community> cs) {
        return cs.values().stream().mapToInt(Community::grids).sum();
    }

    /**
     * The least maximum deviation any plan with these counts can have: some grid of community c
     * carries at least W_c / k_c, and no grid can be lighter than its heaviest unit allows.
     */
    public static double countBound(Map<Long, Community> cs, Map<Long, Integer> counts) {
        double total = 0;
        int k = 0;
        for (var e : cs.entrySet()) {
            total += e.getValue().workload();
            k += counts.get(e.getKey());
        }
        double mean = total / k, bound = 0;
        for (var e : cs.entrySet()) {
            double q = e.getValue().workload() / counts.get(e.getKey());
            bound = Math.max(bound, Math.abs(q / mean - 1));
        }
        return bound;
    }
}
