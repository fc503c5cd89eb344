package org.gridgov.rebalance;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Seeding and region growing over a planar unit graph (units joined by shared edges, each with a
 * representative point): the one implementation that {@link Rebalancer} (splits, the naive
 * baseline) and the demo generator's first grid plan both use.
 *
 * <p>Units are indices into the arrays; a "unit list" gives the units taking part, and its order
 * breaks ties (the first unit wins), so the same input always gives the same regions.
 */
public final class RegionGrowing {

    private final int[][] nbr;
    private final double[] x;
    private final double[] y;

    /**
     * @param nbr neighbours of each unit (by shared edge)
     * @param x planar x of each unit's representative point
     * @param y planar y of each unit's representative point
     */
    public RegionGrowing(int[][] nbr, double[] x, double[] y) {
        this.nbr = nbr;
        this.x = x;
        this.y = y;
    }

    /** The unit of {@code units} farthest (straight line) from (x0, y0). */
    public int farthestFrom(List<Integer> units, double x0, double y0) {
        int best = units.get(0);
        double bd = -1;
        for (int u : units) {
            double d = Math.hypot(x[u] - x0, y[u] - y0);
            if (d > bd) {
                bd = d;
                best = u;
            }
        }
        return best;
    }

    /**
     * k seeds by farthest-point sampling: {@code first}, then each time the unit farthest from all
     * seeds chosen so far.
     */
    public int[] farthestPointSeeds(List<Integer> units, int first, int k) {
        int[] seeds = new int[k];
        seeds[0] = first;
        // distance to the nearest seed so far, updated with each new seed
        double[] d = new double[x.length];
        Arrays.fill(d, Double.MAX_VALUE);
        for (int i = 1; i < k; i++) {
            int best = -1;
            double bestD = -1;
            int s = seeds[i - 1];
            for (int u : units) {
                d[u] = Math.min(d[u], Math.hypot(x[u] - x[s], y[u] - y[s]));
                if (d[u] > bestD) {
                    bestD = d[u];
                    best = u;
                }
            }
            seeds[i] = best;
        }
        return seeds;
    }

    /**
     * Grows one region per seed over {@code members}: each step the lightest region (by summed
     * load, the lower index on a tie) that still has a free neighbouring member takes the one
     * nearest its seed. Every region is contiguous by construction.
     *
     * @return by unit, the index of its seed's region; -1 for units that are no member or that no
     *     region reached (members not connected to any seed)
     */
    public int[] grow(List<Integer> members, int[] seeds, double[] load) {
        int[] region = new int[nbr.length];
        Arrays.fill(region, -1);
        boolean[] in = new boolean[nbr.length];
        for (int u : members) in[u] = true;
        int k = seeds.length;
        double[] total = new double[k];
        List<List<Integer>> frontier = new ArrayList<>();
        for (int i = 0; i < k; i++) {
            frontier.add(new ArrayList<>());
            region[seeds[i]] = i;
            total[i] += load[seeds[i]];
        }
        for (int i = 0; i < k; i++)
            for (int v : nbr[seeds[i]]) if (in[v] && region[v] < 0) frontier.get(i).add(v);
        while (true) {
            int pick = -1;
            for (int i = 0; i < k; i++) {
                List<Integer> f = frontier.get(i);
                f.removeIf(v -> region[v] >= 0);
                if (!f.isEmpty() && (pick < 0 || total[i] < total[pick])) pick = i;
            }
            if (pick < 0) return region;
            int s = seeds[pick], best = -1;
            double bd = Double.MAX_VALUE;
            for (int v : frontier.get(pick)) {
                double dd = (x[v] - x[s]) * (x[v] - x[s]) + (y[v] - y[s]) * (y[v] - y[s]);
                if (dd < bd) {
                    bd = dd;
                    best = v;
                }
            }
            region[best] = pick;
            total[pick] += load[best];
            for (int v : nbr[best]) if (in[v] && region[v] < 0) frontier.get(pick).add(v);
        }
    }

    /**
     * Would region {@code a} stay connected without unit u? True when all of u's neighbours in a
     * reach each other without u (a search from one of them), which for a connected region is the
     * same as the rest of it staying connected. False when u has no neighbour in a (it is alone).
     *
     * @param region region of each unit
     */
    public boolean staysConnectedWithout(int[] region, int a, int u) {
        int start = -1, need = 0;
        for (int v : nbr[u])
            if (region[v] == a) {
                if (start < 0) start = v;
                need++;
            }
        if (start < 0) return false;
        if (need == 1) return true; // u is a leaf of its region
        Set<Integer> seen = new HashSet<>();
        List<Integer> stack = new ArrayList<>();
        stack.add(start);
        seen.add(start);
        while (!stack.isEmpty()) {
            int w = stack.remove(stack.size() - 1);
            for (int v : nbr[w]) {
                if (v == u || region[v] != a || !seen.add(v)) continue;
                stack.add(v);
            }
        }
        int found = 0;
        for (int v : nbr[u]) if (region[v] == a && seen.contains(v)) found++;
        return found == need;
    }
}
