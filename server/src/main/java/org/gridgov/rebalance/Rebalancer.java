package org.gridgov.rebalance;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The partitioning engine (docs/planning.md). Per community, independently, over the units of its
 * basic grids:
 *
 * <ol>
 *   <li><b>repair</b>: a grid keeps its largest contiguous piece; stray pieces and units of another
 *       community's grid become free;
 *   <li><b>count</b>: while there are too many grids the lightest is dissolved; free units join the
 *       lightest adjacent grid (breadth first); while there are too few, the heaviest grid is split
 *       in two by region growing from its two most distant units;
 *   <li><b>local search</b>: passes over boundary units move a unit to an adjacent grid of the same
 *       community when that lowers Σ dev² + λ·Σ(1 − Polsby-Popper) + μ·(units away from their grid)
 *       and the load flows downhill (a heavier grid gives to a lighter one) and the giving grid
 *       stays contiguous (checked by a search over it) — until every grid is within the tolerance
 *       of the community's mean, or a pass finds nothing, or the change budget is spent.
 * </ol>
 *
 * Because it starts from the current plan and stops at the tolerance, it moves few units and keeps
 * grid identities (codes). {@link #regrow} is the naive baseline: every grid re-grown from scratch,
 * no local search.
 */
public final class Rebalancer {

    /**
     * @param tolerance stop when every grid is within ±tolerance of its community's mean
     * @param compactWeight λ: weight of Σ(1 − Polsby-Popper) against Σ dev²
     * @param changeWeight μ: cost of one unit leaving the grid it had in the current plan
     * @param maxMovedShare local search moves no more than this share of the movable units
     * @param maxPasses passes of local search per community
     * @param includeSpecial rebalance special grids too (normally left alone)
     */
    public record Params(
            double tolerance,
            double compactWeight,
            double changeWeight,
            double maxMovedShare,
            int maxPasses,
            boolean includeSpecial) {
        public static Params defaults() {
            return new Params(0.05, 0.05, 0.0005, 1.0, 400, false);
        }
    }

    /** Progress reports and cancellation. */
    public interface Progress {
        void report(double fraction);

        boolean cancelled();

        Progress NONE =
                new Progress() {
                    public void report(double fraction) {}

                    public boolean cancelled() {
                        return false;
                    }
                };
    }

    public static final class CancelledException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public CancelledException() {
            super("cancelled");
        }
    }

    private final UnitGraph g;
    private final RegionGrowing growing;
    private final double[] load;
    private final Params p;
    private final int[] part;
    private final List<GridInfo> grids;
    private final String[] originalCode;
    private int changed;

    private Rebalancer(UnitGraph g, double[] load, PlanLayout current, Params p) {
        this.g = g;
        this.growing = new RegionGrowing(g.nbr, g.x, g.y);
        this.load = load;
        this.p = p;
        this.part = current.gridOf.clone();
        this.grids = new ArrayList<>(current.grids);
        this.originalCode = new String[g.size()];
        for (int u = 0; u < g.size(); u++)
            originalCode[u] = part[u] < 0 ? null : grids.get(part[u]).code();
    }

    /**
     * A balanced layout from the current one. targetCounts gives the number of grids wanted per
     * community; a community missing from it keeps its count. New grids have no id and no code.
     */
    public static PlanLayout rebalance(
            UnitGraph g,
            double[] load,
            PlanLayout current,
            Map<Long, Integer> targetCounts,
            Params p,
            Progress progress) {
        Rebalancer r = new Rebalancer(g, load, current, p);
        Map<Long, List<Integer>> units = r.movableByCommunity();
        int done = 0;
        for (var e : units.entrySet()) {
            if (progress.cancelled()) throw new CancelledException();
            r.community(e.getKey(), e.getValue(), targetCounts, false, progress);
            progress.report(++done / (double) units.size());
        }
        return r.result();
    }

    /**
     * The naive baseline: per community, the target number of grids re-grown from scratch, no local
     * search.
     */
    public static PlanLayout regrow(
            UnitGraph g,
            double[] load,
            PlanLayout current,
            Map<Long, Integer> targetCounts,
            Params p) {
        Rebalancer r = new Rebalancer(g, load, current, p);
        for (var e : r.movableByCommunity().entrySet())
            r.community(e.getKey(), e.getValue(), targetCounts, true, Progress.NONE);
        return r.result();
    }

    /**
     * Units that may move, by community: those of basic grids (and special ones when asked) and
     * unassigned ones.
     */
    private Map<Long, List<Integer>> movableByCommunity() {
        Map<Long, List<Integer>> out = new TreeMap<>();
        for (int u = 0; u < g.size(); u++) {
            if (part[u] >= 0 && grids.get(part[u]).special() && !p.includeSpecial()) continue;
            out.computeIfAbsent(g.community[u], k -> new ArrayList<>()).add(u);
        }
        return out;
    }

    private boolean eligible(int grid, long community) {
        GridInfo gi = grids.get(grid);
        return gi.communityId() == community && (!gi.special() || p.includeSpecial());
    }

    private void community(
            long c,
            List<Integer> units,
            Map<Long, Integer> targets,
            boolean fromScratch,
            Progress progress) {
        // grids of this community that take part, and their loads
        TreeSet<Integer> act = new TreeSet<>();
        for (int gi = 0; gi < grids.size(); gi++) if (eligible(gi, c)) act.add(gi);
        int k = Math.max(1, targets.getOrDefault(c, Math.max(1, act.size())));
        if (fromScratch) {
            scratch(c, units, act, k);
            return;
        }
        for (int u : units) if (part[u] >= 0 && !eligible(part[u], c)) part[u] = -1;
        // repair: keep each grid's largest piece
        for (int gi : act) {
            List<Integer> members = membersOf(gi, units);
            if (members.isEmpty()) continue;
            PlanLayout view = new PlanLayout(grids, part);
            List<List<Integer>> pieces = view.pieces(g, gi, members);
            for (int i = 1; i < pieces.size(); i++) for (int u : pieces.get(i)) part[u] = -1;
        }
        act.removeIf(gi -> membersOf(gi, units).isEmpty());
        double[] L = new double[grids.size() + k + 1];
        recount(units, L);
        while (act.size() > k) {
            int lightest = act.stream().min((a, b) -> Double.compare(L[a], L[b])).orElseThrow();
            for (int u : units) if (part[u] == lightest) part[u] = -1;
            act.remove(lightest);
            recount(units, L);
        }
        if (act.isEmpty()) {
            int ng = newGrid(c);
            for (int u : units) part[u] = ng;
            act.add(ng);
        }
        attachFree(units, act);
        while (act.size() < k) {
            double[] l = loads(units);
            int heaviest = act.stream().max((a, b) -> Double.compare(l[a], l[b])).orElseThrow();
            List<Integer> members = membersOf(heaviest, units);
            if (members.size() < 2) break;
            int ng = newGrid(c);
            // the two most distant units: the farthest from the centre, then the farthest from it
            int s1 = growing.farthestFrom(members, centroidX(members), centroidY(members));
            grow(members, growing.farthestPointSeeds(members, s1, 2), new int[] {heaviest, ng});
            act.add(ng);
        }
        attachFree(units, act);
        localSearch(units, act, progress);
    }

    private void scratch(long c, List<Integer> units, TreeSet<Integer> act, int k) {
        for (int u : units) part[u] = -1;
        // seeds by farthest-point sampling, the first at the unit farthest from the community
        // centre
        int first = growing.farthestFrom(units, centroidX(units), centroidY(units));
        int[] seeds = growing.farthestPointSeeds(units, first, Math.min(k, units.size()));
        // identities: seed i takes the grid its seed unit had, when still free
        List<Integer> existing = new ArrayList<>(act);
        int[] ids = new int[seeds.length];
        boolean[] used = new boolean[grids.size()];
        for (int i = 0; i < seeds.length; i++) {
            int had = -1;
            String code = originalCode[seeds[i]];
            for (int gi : existing)
                if (!used[gi] && grids.get(gi).code() != null && grids.get(gi).code().equals(code))
                    had = gi;
            if (had >= 0) used[had] = true;
            ids[i] = had;
        }
        for (int i = 0; i < seeds.length; i++) {
            if (ids[i] >= 0) continue;
            int free = -1;
            for (int gi : existing)
                if (!used[gi]) {
                    free = gi;
                    break;
                }
            if (free >= 0) used[free] = true;
            ids[i] = free >= 0 ? free : newGrid(c);
        }
        grow(units, seeds, ids);
        act.clear();
        for (int id : ids) act.add(id);
        attachFree(units, act);
    }

    private int newGrid(long c) {
        grids.add(new GridInfo(null, null, null, c, "BASIC", null, null));
        return grids.size() - 1;
    }

    /**
     * Free units join the lightest adjacent grid, breadth first; units with no path go to the
     * nearest grid.
     */
    private void attachFree(List<Integer> units, TreeSet<Integer> act) {
        double[] L = loads(units);
        boolean progress = true;
        while (progress) {
            progress = false;
            for (int u : units) {
                if (part[u] >= 0) continue;
                int best = -1;
                for (int v : g.nbr[u]) {
                    int b = part[v];
                    if (b >= 0 && act.contains(b) && (best < 0 || L[b] < L[best])) best = b;
                }
                if (best >= 0) {
                    part[u] = best;
                    L[best] += load[u];
                    progress = true;
                }
            }
        }
        for (int u : units) {
            if (part[u] >= 0) continue;
            int best = -1;
            double bd = Double.MAX_VALUE;
            for (int v : units) {
                if (part[v] < 0) continue;
                double dd = Math.hypot(g.x[u] - g.x[v], g.y[u] - g.y[v]);
                if (dd < bd) {
                    bd = dd;
                    best = part[v];
                }
            }
            if (best >= 0) part[u] = best;
        }
    }

    /** Region growing ({@link RegionGrowing#grow}): seed i's region becomes grid gridIds[i]. */
    private void grow(List<Integer> members, int[] seeds, int[] gridIds) {
        int[] region = growing.grow(members, seeds, load);
        for (int u : members) part[u] = region[u] < 0 ? -1 : gridIds[region[u]];
    }

    private void localSearch(List<Integer> units, TreeSet<Integer> act, Progress progress) {
        int k = act.size();
        double total = 0;
        for (int u : units) total += load[u];
        double target = total / k;
        if (target <= 0) return;
        int n = grids.size();
        double[] L = new double[n], A = new double[n], P = new double[n];
        int[] size = new int[n];
        for (int u : units) {
            int a = part[u];
            L[a] += load[u];
            A[a] += g.area[u];
            P[a] += g.perimeter[u] - g.sharedWith(u, a, part);
            size[a]++;
        }
        for (int u : units) if (!codeEquals(u, part[u])) changed++;
        int budget = (int) Math.ceil(p.maxMovedShare() * units.size());
        int startChanged = changed;
        for (int pass = 0; pass < p.maxPasses(); pass++) {
            if (progress.cancelled()) throw new CancelledException();
            double worst = 0;
            for (int a : act) worst = Math.max(worst, Math.abs(L[a] / target - 1));
            if (worst <= p.tolerance()) return;
            boolean moved = false;
            for (int u : units) {
                int a = part[u];
                if (size[a] <= 1) continue;
                double da = L[a] / target - 1;
                int bestB = -1;
                double bestDelta = -1e-12;
                double sharedA = g.sharedWith(u, a, part);
                for (int v : g.nbr[u]) {
                    int b = part[v];
                    if (b == a || b < 0 || !act.contains(b)) continue;
                    double db = L[b] / target - 1;
                    if (db >= da) continue; // load flows downhill only
                    double x = load[u] / target;
                    double bal = sq(da - x) + sq(db + x) - sq(da) - sq(db);
                    double sharedB = g.sharedWith(u, b, part);
                    double pa = P[a] - g.perimeter[u] + 2 * sharedA,
                            pb = P[b] + g.perimeter[u] - 2 * sharedB;
                    double aa = A[a] - g.area[u], ab = A[b] + g.area[u];
                    double compact = (pp(A[a], P[a]) + pp(A[b], P[b])) - (pp(aa, pa) + pp(ab, pb));
                    int dChange = (codeEquals(u, b) ? -1 : 0) + (codeEquals(u, a) ? 1 : 0);
                    if (dChange > 0 && changed - startChanged + dChange > budget) continue;
                    double delta = bal + p.compactWeight() * compact + p.changeWeight() * dChange;
                    if (delta < bestDelta) {
                        bestDelta = delta;
                        bestB = b;
                    }
                }
                if (bestB < 0 || !growing.staysConnectedWithout(part, a, u)) continue;
                int b = bestB;
                double sharedB = g.sharedWith(u, b, part);
                P[a] += -g.perimeter[u] + 2 * sharedA;
                P[b] += g.perimeter[u] - 2 * sharedB;
                A[a] -= g.area[u];
                A[b] += g.area[u];
                L[a] -= load[u];
                L[b] += load[u];
                size[a]--;
                size[b]++;
                changed += (codeEquals(u, b) ? -1 : 0) + (codeEquals(u, a) ? 1 : 0);
                part[u] = b;
                moved = true;
            }
            if (!moved) return;
        }
    }

    private boolean codeEquals(int u, int grid) {
        String c = grids.get(grid).code();
        return c != null && c.equals(originalCode[u]);
    }

    private static double pp(double area, double perimeter) {
        return perimeter <= 0 ? 0 : 4 * Math.PI * area / (perimeter * perimeter);
    }

    private static double sq(double v) {
        return v * v;
    }

    private List<Integer> membersOf(int gi, List<Integer> units) {
        List<Integer> m = new ArrayList<>();
        for (int u : units) if (part[u] == gi) m.add(u);
        return m;
    }

    private void recount(List<Integer> units, double[] L) {
        Arrays.fill(L, 0);
        for (int u : units) if (part[u] >= 0 && part[u] < L.length) L[part[u]] += load[u];
    }

    private double[] loads(List<Integer> units) {
        double[] L = new double[grids.size() + 1];
        for (int u : units) if (part[u] >= 0) L[part[u]] += load[u];
        return L;
    }

    private double centroidX(List<Integer> us) {
        double s = 0, w = 0;
        for (int u : us) {
            s += g.x[u] * g.area[u];
            w += g.area[u];
        }
        return s / w;
    }

    private double centroidY(List<Integer> us) {
        double s = 0, w = 0;
        for (int u : us) {
            s += g.y[u] * g.area[u];
            w += g.area[u];
        }
        return s / w;
    }

    /** The layout without grids left empty in communities that were rebalanced. */
    private PlanLayout result() {
        int[] count = new int[grids.size()];
        for (int gi : part) if (gi >= 0) count[gi]++;
        Map<Integer, Integer> remap = new LinkedHashMap<>();
        List<GridInfo> kept = new ArrayList<>();
        for (int gi = 0; gi < grids.size(); gi++) {
            if (count[gi] == 0 && (!grids.get(gi).special() || p.includeSpecial())) continue;
            remap.put(gi, kept.size());
            kept.add(grids.get(gi));
        }
        int[] gridOf = new int[part.length];
        for (int u = 0; u < part.length; u++) gridOf[u] = part[u] < 0 ? -1 : remap.get(part[u]);
        return new PlanLayout(kept, gridOf);
    }
}
