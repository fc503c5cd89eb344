package org.gridgov.demo;

import static org.gridgov.demo.DemoGeography.CORE_RADIUS;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.gridgov.demo.DemoData.Community;
import org.gridgov.demo.DemoData.CommunityKind;

/**
 * The communities (村/社区): which faces form each ({@link #assign}), then their order, codes, names
 * and outlines ({@link #number}). ~35 % are URBAN with seeds in the core, the rest VILLAGE outside
 * it; the seeds are relaxed by household-weighted Lloyd steps, every face goes to its nearest seed,
 * and detached pieces move to a neighbour so each community is contiguous.
 */
final class DemoCommunities {

    private final DemoGeography geo;
    private final SplittableRandom rnd;

    private DemoCommunities(DemoGeography geo, SplittableRandom rnd) {
        this.geo = geo;
        this.rnd = rnd;
    }

    /** Fills {@code geo.comm} and {@code geo.commUrban} with c communities. */
    static void assign(DemoGeography geo, int c, SplittableRandom rnd) {
        new DemoCommunities(geo, rnd).assign(c);
    }

    private void assign(int c) {
        int nUrban = Math.max(1, (int) Math.round(c * 0.35));
        int n = geo.faces.size();
        double[] fx = geo.fx, fy = geo.fy;
        List<Integer> urbanCand = new ArrayList<>(), villageCand = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            double r = Math.hypot(fx[i] - geo.coreX, fy[i] - geo.coreY);
            if (r < CORE_RADIUS * 0.95) urbanCand.add(i);
            else if (r > CORE_RADIUS * 1.15) villageCand.add(i);
        }
        double[][] seeds = new double[c][];
        List<double[]> us =
                pickSpread(
                        urbanCand, nUrban, Math.sqrt(Math.PI * CORE_RADIUS * CORE_RADIUS / nUrban));
        List<double[]> vs =
                pickSpread(
                        villageCand,
                        c - nUrban,
                        Math.sqrt(
                                (geo.outline.getArea() - Math.PI * CORE_RADIUS * CORE_RADIUS)
                                        / (c - nUrban)));
        boolean[] commUrban = new boolean[c];
        for (int k = 0; k < nUrban; k++) {
            seeds[k] = us.get(k);
            commUrban[k] = true;
        }
        for (int k = nUrban; k < c; k++) seeds[k] = vs.get(k - nUrban);
        geo.commUrban = commUrban;
        geo.comm = new int[n];
        int[] comm = geo.comm;
        for (int iter = 0; iter < 8; iter++) {
            nearestSeed(seeds);
            double[][] acc = new double[c][3];
            for (int i = 0; i < n; i++) {
                // weighted by expected households: urban communities come out smaller in area and
                // units
                double w = 1 + 6 * geo.coreness(fx[i], fy[i]);
                acc[comm[i]][0] += fx[i] * w;
                acc[comm[i]][1] += fy[i] * w;
                acc[comm[i]][2] += w;
            }
            for (int k = 0; k < c; k++) {
                if (acc[k][2] == 0) continue;
                double nx = acc[k][0] / acc[k][2], ny = acc[k][1] / acc[k][2];
                // urban seeds stay in the core, village seeds outside it
                double r = Math.hypot(nx - geo.coreX, ny - geo.coreY);
                if (commUrban[k] == (r < CORE_RADIUS)) seeds[k] = new double[] {nx, ny};
            }
        }
        nearestSeed(seeds);
        makeContiguous(c);
    }

    private List<double[]> pickSpread(List<Integer> cand, int k, double spacing) {
        List<Integer> shuffled = new ArrayList<>(cand);
        for (int i = shuffled.size() - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            Integer t = shuffled.get(i);
            shuffled.set(i, shuffled.get(j));
            shuffled.set(j, t);
        }
        double sp = spacing;
        while (true) {
            List<double[]> chosen = new ArrayList<>();
            for (int i : shuffled) {
                boolean ok = true;
                for (double[] q : chosen)
                    ok &= Math.hypot(q[0] - geo.fx[i], q[1] - geo.fy[i]) >= sp;
                if (ok) chosen.add(new double[] {geo.fx[i], geo.fy[i]});
                if (chosen.size() == k) return chosen;
            }
            sp *= 0.85;
        }
    }

    private void nearestSeed(double[][] seeds) {
        for (int i = 0; i < geo.faces.size(); i++) {
            int best = 0;
            double bd = Double.MAX_VALUE;
            for (int k = 0; k < seeds.length; k++) {
                double d = Math.hypot(seeds[k][0] - geo.fx[i], seeds[k][1] - geo.fy[i]);
                if (d < bd) {
                    bd = d;
                    best = k;
                }
            }
            geo.comm[i] = best;
        }
    }

    /** Moves every detached piece of a community to the neighbour it shares most edges with. */
    private void makeContiguous(int c) {
        int[] comm = geo.comm;
        for (int round = 0; round < 50; round++) {
            boolean changed = false;
            for (int k = 0; k < c; k++) {
                List<List<Integer>> comps = components(k);
                if (comps.size() <= 1) continue;
                comps.sort(
                        Comparator.comparingInt((List<Integer> l) -> -l.size())
                                .thenComparingInt(l -> l.get(0)));
                for (List<Integer> piece : comps.subList(1, comps.size())) {
                    TreeMap<Integer, Integer> touch = new TreeMap<>();
                    for (int f : piece)
                        for (int q : geo.nbr[f])
                            if (comm[q] != k) touch.merge(comm[q], 1, Integer::sum);
                    int target =
                            touch.entrySet().stream()
                                    .max(
                                            Map.Entry.<Integer, Integer>comparingByValue()
                                                    .thenComparing(
                                                            Map.Entry.comparingByKey(
                                                                    Comparator.reverseOrder())))
                                    .orElseThrow()
                                    .getKey();
                    for (int f : piece) comm[f] = target;
                    changed = true;
                }
            }
            if (!changed) break;
        }
        int[] count = new int[c];
        for (int k : comm) count[k]++;
        for (int k = 0; k < c; k++) {
            if (count[k] == 0)
                throw new IllegalStateException(
                        "community " + k + " came out empty; try another seed");
            if (components(k).size() != 1)
                throw new IllegalStateException("community " + k + " is not contiguous");
        }
    }

    private List<List<Integer>> components(int k) {
        return geo.componentsOf(geo.facesOf(k), null);
    }

    // ------------------------------------------------------------------ numbering

    /**
     * Working community indices in id order: urban by distance to the core, then villages clockwise
     * from north.
     */
    static Integer[] order(DemoGeography geo) {
        int c = geo.commUrban.length;
        boolean[] urban = geo.commUrban;
        Integer[] order = new Integer[c];
        for (int k = 0; k < c; k++) order[k] = k;
        double[][] ctr = new double[c][];
        for (int k = 0; k < c; k++) ctr[k] = geo.centroidOf(k);
        Arrays.sort(
                order,
                Comparator.comparing((Integer k) -> !urban[k])
                        .thenComparingDouble(
                                k ->
                                        urban[k]
                                                ? geo.distToCore(ctr[k])
                                                : (Math.atan2(
                                                                        ctr[k][0] - geo.coreX,
                                                                        ctr[k][1] - geo.coreY)
                                                                + 2 * Math.PI)
                                                        % (2 * Math.PI)));
        return order;
    }

    /**
     * The communities in id order, named from rnd: id i is working community {@code order[i - 1]}
     * made of the faces {@code facesOf.get(i - 1)}.
     */
    static List<Community> number(
            DemoGeography geo,
            Integer[] order,
            List<List<Integer>> facesOf,
            String subdistrictCode,
            SplittableRandom rnd) {
        int c = order.length;
        int nUrban = 0;
        for (boolean b : geo.commUrban) if (b) nUrban++;
        List<String> urbanNames = DemoNames.pick(DemoNames.URBAN, nUrban, rnd);
        List<String> villageNames = DemoNames.pick(DemoNames.VILLAGE, c - nUrban, rnd);
        List<Community> communities = new ArrayList<>();
        int ui = 0, vi = 0;
        for (int i = 0; i < c; i++) {
            boolean urban = geo.commUrban[order[i]];
            String name = urban ? urbanNames.get(ui++) + "社区" : villageNames.get(vi++) + "村";
            communities.add(
                    new Community(
                            i + 1,
                            subdistrictCode + String.format("%03d", i + 1),
                            name,
                            urban ? CommunityKind.URBAN : CommunityKind.VILLAGE,
                            geo.union(facesOf.get(i))));
        }
        return communities;
    }
}
