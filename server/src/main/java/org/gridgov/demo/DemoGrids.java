package org.gridgov.demo;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.gridgov.demo.DemoData.Community;
import org.gridgov.demo.DemoData.Grid;
import org.gridgov.demo.DemoLandUse.Special;
import org.gridgov.rebalance.RegionGrowing;

/**
 * Grid plan 1: inside each community, basic grids of about the target households grown over the
 * face adjacency with the rebalancer's {@link RegionGrowing} (farthest-point seeds, two
 * household-weighted Lloyd steps, then boundary faces move from heavier to lighter grids), and the
 * special grids as carved. Grid ids run community by community; a grid's full-time worker has the
 * grid's id as staff id.
 */
final class DemoGrids {

    /** The grids in id order and the grid id of each unit, by unit index. */
    record Plan(List<Grid> grids, long[] gridOfUnit) {}

    private final DemoGeography geo;
    private final RegionGrowing growing;
    private final int[] unitId;
    private final long[] gridOfUnit;
    private final List<Grid> grids = new ArrayList<>();

    private DemoGrids(DemoGeography geo, int[] unitId) {
        this.geo = geo;
        this.growing = new RegionGrowing(geo.nbr, geo.fx, geo.fy);
        this.unitId = unitId;
        this.gridOfUnit = new long[unitId.length];
    }

    /**
     * @param order working community index by community id - 1
     * @param facesOf faces of each community, by community id - 1
     * @param unitId unit id of each face
     */
    static Plan plan(
            DemoGeography geo,
            List<Community> communities,
            Integer[] order,
            List<List<Integer>> facesOf,
            List<Special> specials,
            int[] unitId,
            int householdsPerGrid) {
        DemoGrids g = new DemoGrids(geo, unitId);
        for (int i = 0; i < communities.size(); i++) {
            Community cm = communities.get(i);
            List<Integer> pool = new ArrayList<>();
            for (int f : facesOf.get(i)) if (geo.special[f] < 0) pool.add(f);
            List<List<Integer>> basic = g.growGrids(pool, householdsPerGrid);
            basic.sort(
                    Comparator.comparingDouble((List<Integer> l) -> -Math.floor(g.meanY(l) / 200))
                            .thenComparingDouble(g::meanX));
            int seq = 0;
            for (List<Integer> l : basic) {
                seq++;
                g.add(cm, seq, cm.name() + "第" + seq + "网格", "BASIC", l);
            }
            for (Special s : specials) {
                if (s.community() != order[i]) continue;
                seq++;
                g.add(cm, seq, cm.name() + s.label() + "专属网格", "SPECIAL", s.faces());
            }
        }
        for (long id : g.gridOfUnit)
            if (id == 0) throw new IllegalStateException("a unit without a grid");
        return new Plan(List.copyOf(g.grids), g.gridOfUnit);
    }

    /** Contiguous grids of ~target households over the pool (faces of one community). */
    private List<List<Integer>> growGrids(List<Integer> pool, int target) {
        double[] w = new double[geo.faces.size()];
        double total = 0;
        for (int f : pool) {
            w[f] = geo.households[f] + 0.3;
            total += geo.households[f];
        }
        int k = (int) Math.max(1, Math.round(total / target));
        k = Math.min(k, pool.size());
        double mx = 0, my = 0;
        for (int f : pool) {
            mx += geo.fx[f];
            my += geo.fy[f];
        }
        mx /= pool.size();
        my /= pool.size();
        int first = growing.farthestFrom(pool, mx, my);
        int[] seeds = growing.farthestPointSeeds(pool, first, k);
        int[] region = null;
        for (int iter = 0; iter < 3; iter++) {
            region = grow(pool, seeds, w);
            if (iter == 2) break;
            // move each seed to the member nearest the household-weighted centre of its grid
            seeds = recentred(pool, seeds, region, w);
        }
        rebalance(pool, region, k, w);
        List<List<Integer>> out = new ArrayList<>();
        for (int g = 0; g < k; g++) out.add(new ArrayList<>());
        for (int f : pool) out.get(region[f]).add(f);
        out.removeIf(List::isEmpty);
        return out;
    }

    private int[] grow(List<Integer> pool, int[] seeds, double[] w) {
        int[] region = growing.grow(pool, seeds, w);
        for (int f : pool)
            if (region[f] < 0)
                throw new IllegalStateException("grid growth stalled: pool not connected");
        return region;
    }

    private int[] recentred(List<Integer> pool, int[] seeds, int[] region, double[] w) {
        double[] fx = geo.fx, fy = geo.fy;
        int k = seeds.length;
        double[][] acc = new double[k][3];
        for (int f : pool) {
            int g = region[f];
            acc[g][0] += fx[f] * w[f];
            acc[g][1] += fy[f] * w[f];
            acc[g][2] += w[f];
        }
        int[] next = new int[k];
        for (int g = 0; g < k; g++) {
            double cx = acc[g][0] / acc[g][2], cy = acc[g][1] / acc[g][2];
            int best = seeds[g];
            for (int f : pool) {
                if (region[f] == g
                        && Math.hypot(fx[f] - cx, fy[f] - cy)
                                < Math.hypot(fx[best] - cx, fy[best] - cy)) best = f;
            }
            next[g] = best;
        }
        return next;
    }

    /**
     * Moves boundary faces from heavier to lighter neighbouring grids while both stay contiguous.
     */
    private void rebalance(List<Integer> pool, int[] region, int k, double[] w) {
        double[] load = new double[k];
        for (int f : pool) load[region[f]] += w[f];
        for (int pass = 0; pass < 6; pass++) {
            boolean moved = false;
            for (int f : pool) {
                int g = region[f];
                for (int q : geo.nbr[f]) {
                    int h = region[q];
                    if (h < 0 || h == g) continue;
                    double before = Math.abs(load[g] - load[h]);
                    double after = Math.abs((load[g] - w[f]) - (load[h] + w[f]));
                    if (after + 0.5 >= before) continue;
                    if (!growing.staysConnectedWithout(region, g, f)) continue;
                    region[f] = h;
                    load[g] -= w[f];
                    load[h] += w[f];
                    moved = true;
                    break;
                }
            }
            if (!moved) break;
        }
    }

    private double meanX(List<Integer> fs) {
        return fs.stream().mapToDouble(f -> geo.fx[f]).average().orElse(0);
    }

    private double meanY(List<Integer> fs) {
        return fs.stream().mapToDouble(f -> geo.fy[f]).average().orElse(0);
    }

    /**
     * The backup worker (the "B" of the AB pair) of each grid, in grid order: the full-time worker
     * of the next grid of the same community (the last takes the first's), or of the next grid of
     * the subdistrict when its community has one grid. Derived from the grids alone: deterministic.
     */
    static long[] backupWorkers(List<Grid> grids) {
        long[] out = new long[grids.size()];
        for (int i = 0; i < grids.size(); i++) {
            Grid g = grids.get(i);
            Grid b = null;
            for (int k = 1; k < grids.size() && b == null; k++) {
                Grid o = grids.get((i + k) % grids.size());
                if (o.communityId() == g.communityId()) b = o;
            }
            if (b == null) b = grids.get((i + 1) % grids.size());
            out[i] = b.workerId();
        }
        return out;
    }

    private void add(Community cm, int seq, String name, String kind, List<Integer> fs) {
        long id = grids.size() + 1;
        long[] ids = fs.stream().mapToLong(f -> unitId[f]).sorted().toArray();
        int h = 0;
        for (int f : fs) h += geo.households[f];
        for (long u : ids) gridOfUnit[(int) u - 1] = id;
        grids.add(
                new Grid(
                        id,
                        cm.id(),
                        cm.code() + String.format("%03d", seq),
                        name,
                        kind,
                        ids,
                        h,
                        id));
    }
}
