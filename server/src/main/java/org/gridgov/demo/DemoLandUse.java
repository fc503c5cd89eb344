package org.gridgov.demo;

import static org.gridgov.demo.DemoGeography.CORE_RADIUS;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * What is on each face: land use by community kind, households, the three special areas (专属网格) and
 * the weight with which historical incidents fall there. Fills {@code geo.landUse}, {@code
 * geo.households} and {@code geo.special}.
 */
final class DemoLandUse {

    /** A special grid's area: a contiguous cluster of faces in one working community. */
    record Special(String label, String landUse, int community, List<Integer> faces) {}

    private final DemoGeography geo;
    private final SplittableRandom rnd;

    DemoLandUse(DemoGeography geo, SplittableRandom rnd) {
        this.geo = geo;
        this.rnd = rnd;
    }

    /** Land use and raw households of every face (communities assigned). */
    void assign() {
        int n = geo.faces.size();
        String[] landUse = new String[n];
        int[] households = new int[n];
        geo.landUse = landUse;
        geo.households = households;
        geo.special = new int[n];
        Arrays.fill(geo.special, -1);
        for (int i = 0; i < n; i++) {
            double u = rnd.nextDouble();
            String lu;
            if (geo.commUrban[geo.comm[i]]) {
                lu =
                        u < 0.66
                                ? "RESIDENTIAL"
                                : u < 0.80
                                        ? "COMMERCIAL"
                                        : u < 0.89 ? "PUBLIC" : u < 0.95 ? "OPEN" : "INDUSTRIAL";
            } else if (geo.hamletness(geo.fx[i], geo.fy[i]) > 0.35) {
                lu = u < 0.85 ? "VILLAGE" : u < 0.90 ? "COMMERCIAL" : u < 0.93 ? "PUBLIC" : "OPEN";
            } else {
                lu =
                        u < 0.30
                                ? "OPEN"
                                : u < 0.80
                                        ? "VILLAGE"
                                        : u < 0.92
                                                ? "INDUSTRIAL"
                                                : u < 0.96 ? "PUBLIC" : "COMMERCIAL";
            }
            landUse[i] = lu;
            households[i] = rawHouseholds(lu);
        }
    }

    private int rawHouseholds(String lu) {
        return switch (lu) {
            case "RESIDENTIAL" -> 10 + (int) (31 * Math.pow(rnd.nextDouble(), 1.6));
            case "COMMERCIAL" -> rnd.nextDouble() < 0.4 ? 1 + rnd.nextInt(8) : 0;
            case "INDUSTRIAL" -> rnd.nextDouble() < 0.15 ? 1 + rnd.nextInt(3) : 0;
            case "VILLAGE" -> 1 + rnd.nextInt(8);
            default -> 0;
        };
    }

    /** Scales the households (randomly rounded, inhabited faces keep at least 1) to target. */
    void scaleHouseholds(double target) {
        int[] households = geo.households;
        long raw = 0;
        for (int h : households) raw += h;
        double f = target / Math.max(1, raw);
        for (int i = 0; i < households.length; i++) {
            if (households[i] == 0) continue;
            households[i] = Math.max(1, (int) Math.floor(households[i] * f + rnd.nextDouble()));
        }
    }

    /** 专属网格: a farmers' market, a school campus (urban) and an industrial park (village). */
    List<Special> carveSpecials() {
        int c = geo.commUrban.length;
        List<Integer> urban = new ArrayList<>(), village = new ArrayList<>();
        for (int k = 0; k < c; k++) (geo.commUrban[k] ? urban : village).add(k);
        urban.sort(Comparator.comparingDouble(k -> geo.distToCore(geo.centroidOf(k))));
        village.sort(Comparator.comparingInt(k -> -geo.facesOf(k).size()));
        List<Special> out = new ArrayList<>();
        out.add(carve("农贸市场", "COMMERCIAL", urban.get(0), 4, true));
        out.add(carve("育才学校", "PUBLIC", urban.get(urban.size() > 1 ? 1 : 0), 5, false));
        out.add(carve("工业园区", "INDUSTRIAL", village.get(0), 20, false));
        return out;
    }

    /**
     * A cluster of up to size faces of community k, grown breadth first from the face nearest the
     * core (or the community's centre) that leaves the rest of the community contiguous.
     */
    private Special carve(String label, String lu, int k, int size, boolean nearCore) {
        List<Integer> members = geo.facesOf(k);
        double[] ctr = nearCore ? new double[] {geo.coreX, geo.coreY} : geo.centroidOf(k);
        List<Integer> starts = new ArrayList<>(members);
        starts.sort(
                Comparator.comparingDouble(
                        i -> Math.hypot(geo.fx[i] - ctr[0], geo.fy[i] - ctr[1])));
        Set<Integer> taken = new HashSet<>();
        for (int i : members) if (geo.special[i] >= 0) taken.add(i);
        int idx = specialCount();
        for (int s : starts) {
            if (taken.contains(s)) continue;
            List<Integer> cluster = new ArrayList<>();
            ArrayDeque<Integer> q = new ArrayDeque<>();
            Set<Integer> seen = new HashSet<>();
            q.add(s);
            seen.add(s);
            while (!q.isEmpty() && cluster.size() < size) {
                int f = q.poll();
                cluster.add(f);
                for (int g : geo.nbr[f])
                    if (geo.comm[g] == k && !taken.contains(g) && seen.add(g)) q.add(g);
            }
            if (cluster.size() < Math.min(size, 2)) continue;
            Set<Integer> excl = new HashSet<>(taken);
            excl.addAll(cluster);
            List<List<Integer>> rest = geo.componentsOf(members, excl);
            if (rest.size() != 1) continue;
            for (int f : cluster) {
                geo.special[f] = idx;
                geo.landUse[f] = lu;
                geo.households[f] = lu.equals("COMMERCIAL") ? rnd.nextInt(3) : 0;
            }
            return new Special(label, lu, k, cluster);
        }
        throw new IllegalStateException("no place for the special grid " + label);
    }

    private int specialCount() {
        int m = -1;
        for (int s : geo.special) m = Math.max(m, s);
        return m + 1;
    }

    /**
     * Relative chance of a historical incident per face: households plus a land-use bonus, more
     * near the core, ×4 along three "hot streets" through it, more in special grids.
     */
    double[] incidentWeights(List<Special> specials) {
        int n = geo.faces.size();
        double[] fx = geo.fx, fy = geo.fy;
        double[][] streets = new double[3][];
        for (int s = 0; s < 3; s++) {
            double a = rnd.nextDouble() * Math.PI;
            double ox = geo.coreX + (rnd.nextDouble() - 0.5) * CORE_RADIUS,
                    oy = geo.coreY + (rnd.nextDouble() - 0.5) * CORE_RADIUS;
            streets[s] = new double[] {ox, oy, Math.cos(a), Math.sin(a)};
        }
        double[] w = new double[n];
        for (int f = 0; f < n; f++) {
            double bonus =
                    switch (geo.landUse[f]) {
                        case "COMMERCIAL" -> 25;
                        case "INDUSTRIAL" -> 12;
                        case "PUBLIC" -> 10;
                        case "OPEN" -> 1;
                        default -> 0;
                    };
            double r = geo.distToCore(new double[] {fx[f], fy[f]});
            double x =
                    (2 + geo.households[f] + bonus)
                            * (1 + 1.5 * Math.exp(-(r / CORE_RADIUS) * (r / CORE_RADIUS)));
            for (double[] s : streets) {
                double d = Math.abs((fx[f] - s[0]) * s[3] - (fy[f] - s[1]) * s[2]);
                if (d < 70 && r < 2 * CORE_RADIUS) {
                    x *= 4;
                    break;
                }
            }
            if (geo.special[f] >= 0)
                x *=
                        switch (specials.get(geo.special[f]).landUse()) {
                            case "COMMERCIAL" -> 8;
                            case "PUBLIC" -> 2;
                            default -> 1.5;
                        };
            w[f] = Math.round(x * 1000) / 1000.0;
        }
        return w;
    }
}
