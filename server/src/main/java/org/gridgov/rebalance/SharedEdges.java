package org.gridgov.rebalance;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Envelope;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.LineString;
import org.locationtech.jts.geom.Polygon;
import org.locationtech.jts.index.strtree.STRtree;

/**
 * Which polygons share a stretch of boundary, and how long it is: the adjacency of the unit graph.
 *
 * <p>Why in Java: PostGIS needs ST_Relate plus ST_Intersection per candidate pair (0.7–4 s for
 * 6,000 units with the load of the day; 3–4× the warm JTS build). Units that tile an area share
 * their edges vertex for vertex, so hashing every boundary segment finds nearly all shared boundary
 * in one linear pass. Only segments left unmatched (the outer boundary, and edges where one side
 * has a vertex the other lacks — a T-junction) are then compared pairwise through an STR-tree, as
 * collinear overlapping segments within {@link #TOLERANCE_M}. Neighbours sharing less than {@link
 * #MIN_SHARED_M} (a corner touch, a sliver from digitising) are not neighbours, as with ST_Relate
 * 'F***1****' on clean data.
 */
final class SharedEdges {

    /** Two segments closer than this (metres, planar CRS) are one boundary. */
    static final double TOLERANCE_M = 0.01;

    /** Shared boundary shorter than this does not make neighbours. */
    static final double MIN_SHARED_M = 0.01;

    final int[][] nbr;
    final double[][] shared;

    private SharedEdges(int[][] nbr, double[][] shared) {
        this.nbr = nbr;
        this.shared = shared;
    }

    /** Adjacency of polygons (planar coordinates, metres). */
    static SharedEdges of(Geometry[] polygons) {
        int n = polygons.length;
        List<Map<Integer, Double>> len = new ArrayList<>(n);
        for (int i = 0; i < n; i++) len.add(new HashMap<>());
        // segment key → owner, or -2 when two owners were already paired by it
        Map<Segment, Integer> owner = new HashMap<>(n * 16);
        for (int u = 0; u < n; u++) {
            for (Coordinate[] ring : rings(polygons[u])) {
                for (int k = 0; k + 1 < ring.length; k++) {
                    Segment s = Segment.of(ring[k], ring[k + 1]);
                    if (s == null) continue;
                    Integer other = owner.putIfAbsent(s, u);
                    if (other != null && other >= 0 && other != u) {
                        double l = s.length();
                        len.get(u).merge(other, l, Double::sum);
                        len.get(other).merge(u, l, Double::sum);
                        owner.put(s, -2);
                    }
                }
            }
        }
        // Unmatched segments: compare collinear neighbours (T-junctions, slightly different
        // vertices).
        List<Object[]> loose = new ArrayList<>();
        STRtree tree = new STRtree();
        for (var e : owner.entrySet()) {
            if (e.getValue() < 0) continue;
            Object[] item = {e.getKey(), e.getValue()};
            Envelope env = e.getKey().envelope();
            env.expandBy(TOLERANCE_M);
            tree.insert(env, item);
            loose.add(item);
        }
        for (Object[] a : loose) {
            Segment sa = (Segment) a[0];
            int ua = (Integer) a[1];
            for (Object o : tree.query(sa.envelope())) {
                Object[] b = (Object[]) o;
                int ub = (Integer) b[1];
                if (ub <= ua) continue; // each pair once, never a unit with itself
                double l = sa.collinearOverlap((Segment) b[0]);
                if (l > 0) {
                    len.get(ua).merge(ub, l, Double::sum);
                    len.get(ub).merge(ua, l, Double::sum);
                }
            }
        }
        int[][] nbr = new int[n][];
        double[][] shared = new double[n][];
        for (int i = 0; i < n; i++) {
            var kept =
                    len.get(i).entrySet().stream()
                            .filter(e -> e.getValue() >= MIN_SHARED_M)
                            .sorted(Map.Entry.comparingByKey())
                            .toList();
            nbr[i] = kept.stream().mapToInt(Map.Entry::getKey).toArray();
            shared[i] = kept.stream().mapToDouble(Map.Entry::getValue).toArray();
        }
        return new SharedEdges(nbr, shared);
    }

    private static List<Coordinate[]> rings(Geometry g) {
        List<Coordinate[]> out = new ArrayList<>();
        for (int i = 0; i < g.getNumGeometries(); i++) {
            if (!(g.getGeometryN(i) instanceof Polygon p)) continue;
            out.add(p.getExteriorRing().getCoordinates());
            for (int h = 0; h < p.getNumInteriorRing(); h++) {
                LineString r = p.getInteriorRingN(h);
                out.add(r.getCoordinates());
            }
        }
        return out;
    }

    /** A segment with its end points in a canonical order, so both sides of an edge hash alike. */
    record Segment(double x0, double y0, double x1, double y1) {

        static Segment of(Coordinate a, Coordinate b) {
            if (a.x == b.x && a.y == b.y) return null;
            boolean swap = a.x > b.x || (a.x == b.x && a.y > b.y);
            return swap ? new Segment(b.x, b.y, a.x, a.y) : new Segment(a.x, a.y, b.x, b.y);
        }

        double length() {
            return Math.hypot(x1 - x0, y1 - y0);
        }

        Envelope envelope() {
            return new Envelope(x0, x1, y0, y1);
        }

        /** Length over which the two segments lie on one line (within the tolerance), else 0. */
        double collinearOverlap(Segment o) {
            double l = length();
            double dx = (x1 - x0) / l, dy = (y1 - y0) / l;
            // distance of o's end points from this segment's line
            if (Math.abs((o.x0 - x0) * dy - (o.y0 - y0) * dx) > TOLERANCE_M) return 0;
            if (Math.abs((o.x1 - x0) * dy - (o.y1 - y0) * dx) > TOLERANCE_M) return 0;
            double t0 = (o.x0 - x0) * dx + (o.y0 - y0) * dy;
            double t1 = (o.x1 - x0) * dx + (o.y1 - y0) * dy;
            double lo = Math.max(0, Math.min(t0, t1)), hi = Math.min(l, Math.max(t0, t1));
            return hi - lo > TOLERANCE_M ? hi - lo : 0;
        }
    }
}
