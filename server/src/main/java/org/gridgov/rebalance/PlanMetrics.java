package org.gridgov.rebalance;

import java.util.List;

/**
 * Measures of one plan under one workload: per grid workload, households, incidents, area,
 * perimeter, Polsby-Popper compactness (4πA/P², 1 for a disc) and the signed deviation from the
 * mean workload of the plan's basic grids; and the plan-wide summary the benchmark reports. Area
 * and perimeter come from the planar unit graph: a grid's perimeter is the sum of its units'
 * perimeters less twice the edges they share.
 */
public final class PlanMetrics {

    public final double[] load;
    public final int[] households;
    public final int[] incidents;
    public final double[] area;
    public final double[] perimeter;
    public final int[] units;
    public final boolean[] contiguous;
    public final double basicMean;

    public PlanMetrics(UnitGraph graph, UnitWorkloads w, PlanLayout layout) {
        int k = layout.gridCount();
        load = new double[k];
        households = new int[k];
        incidents = new int[k];
        area = new double[k];
        perimeter = new double[k];
        units = new int[k];
        contiguous = new boolean[k];
        for (int u = 0; u < graph.size(); u++) {
            int g = layout.gridOf[u];
            if (g < 0) continue;
            load[g] += w.load()[u];
            households[g] += graph.households[u];
            incidents[g] += w.incidents()[u];
            area[g] += graph.area[u];
            perimeter[g] += graph.perimeter[u] - graph.sharedWith(u, g, layout.gridOf);
            units[g]++;
        }
        List<List<Integer>> members = layout.members();
        double sum = 0;
        int basic = 0;
        for (int g = 0; g < k; g++) {
            contiguous[g] = units[g] > 0 && layout.pieces(graph, g, members.get(g)).size() == 1;
            if (!layout.grids.get(g).special() && units[g] > 0) {
                sum += load[g];
                basic++;
            }
        }
        basicMean = basic == 0 ? 0 : sum / basic;
    }

    public double polsbyPopper(int g) {
        return perimeter[g] <= 0 ? 0 : 4 * Math.PI * area[g] / (perimeter[g] * perimeter[g]);
    }

    /** Signed deviation of a grid's workload from the basic-grid mean: 0.04 = 4% above. */
    public double deviation(int g) {
        return basicMean == 0 ? 0 : load[g] / basicMean - 1;
    }

    /** The plan-wide figures over basic grids with units. */
    public Summary summary(List<GridInfo> grids) {
        double maxDev = 0, pp = 0;
        int n = 0, contiguousCount = 0;
        for (int g = 0; g < grids.size(); g++) {
            if (grids.get(g).special() || units[g] == 0) continue;
            maxDev = Math.max(maxDev, Math.abs(deviation(g)));
            pp += polsbyPopper(g);
            n++;
            if (contiguous[g]) contiguousCount++;
        }
        return new Summary(
                n,
                maxDev,
                n == 0 ? 0 : pp / n,
                n == 0 ? 1 : contiguousCount / (double) n,
                basicMean);
    }

    /**
     * @param basicGrids basic grids with at least one unit
     * @param maxDeviation largest |deviation| among them
     * @param meanPolsbyPopper mean compactness among them
     * @param contiguousShare share of them that are contiguous
     * @param meanWorkload their mean workload
     */
    public record Summary(
            int basicGrids,
            double maxDeviation,
            double meanPolsbyPopper,
            double contiguousShare,
            double meanWorkload) {}
}
