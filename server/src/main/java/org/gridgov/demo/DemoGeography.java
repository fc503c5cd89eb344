package org.gridgov.demo;

import static org.gridgov.demo.DemoSubdistrict.AREA_M2;
import static org.gridgov.demo.DemoSubdistrict.CENTRE_X;
import static org.gridgov.demo.DemoSubdistrict.CENTRE_Y;
import static org.gridgov.demo.DemoSubdistrict.GF;
import static org.gridgov.demo.DemoSubdistrict.PM;
import static org.gridgov.demo.DemoSubdistrict.SRID;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;
import org.locationtech.jts.algorithm.ConvexHull;
import org.locationtech.jts.algorithm.Distance;
import org.locationtech.jts.algorithm.RayCrossingCounter;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Envelope;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.GeometryFactory;
import org.locationtech.jts.geom.Location;
import org.locationtech.jts.geom.Point;
import org.locationtech.jts.geom.Polygon;
import org.locationtech.jts.geom.PrecisionModel;
import org.locationtech.jts.operation.overlayng.CoverageUnion;
import org.locationtech.jts.operation.overlayng.UnaryUnionNG;
import org.locationtech.jts.operation.polygonize.Polygonizer;
import org.locationtech.jts.triangulate.VoronoiDiagramBuilder;

/**
 * The map of the demo subdistrict while it is generated: the outline, an urban core and ten village
 * hamlets (the density the units follow), the base units as faces (Voronoi cells of a seeded point
 * process) with their adjacency by shared edge, and per face what the later steps fill in: the
 * community ({@link DemoCommunities}), land use, households and special grid ({@link DemoLandUse}).
 * Faces are indexed in a geometric order; unit ids are given at assembly.
 */
final class DemoGeography {

    static final double CORE_RADIUS = 1_200;
    private static final double HAMLET_RADIUS = 300;
    private static final GeometryFactory GF_FLOAT = new GeometryFactory(new PrecisionModel(), SRID);

    final Polygon outline;
    final double coreX;
    final double coreY;
    private final double[][] hamlets;

    final List<Polygon> faces;

    /** Face centroids. */
    final double[] fx;

    final double[] fy;

    /** Neighbours of each face by shared edge, ascending. */
    final int[][] nbr;

    /** Every boundary segment with the one or two faces it bounds, in face order. */
    final Map<Seg, int[]> segOwners;

    /** Working community index of each face. */
    int[] comm;

    boolean[] commUrban;
    String[] landUse;
    int[] households;

    /** Special-grid index of each face, or -1. */
    int[] special;

    /** Draws the outline, the core, the hamlets and the units, in this order, from rnd. */
    DemoGeography(int units, SplittableRandom rnd) {
        this(units, rnd, null);
    }

    /**
     * As {@link #DemoGeography(int, SplittableRandom)} inside a given outline (a district's cell,
     * on the 1 cm grid), the core near its centre; null draws one around the demo's centre.
     */
    DemoGeography(int units, SplittableRandom rnd, Polygon given) {
        outline = given == null ? makeOutline(rnd) : given;
        Point centre = outline.getCentroid();
        double cx = given == null ? CENTRE_X : centre.getX();
        double cy = given == null ? CENTRE_Y : centre.getY();
        double ang = rnd.nextDouble() * 2 * Math.PI;
        double off = 300 + rnd.nextDouble() * 400;
        coreX = cx + off * Math.cos(ang);
        coreY = cy + off * Math.sin(ang);
        hamlets = placeHamlets(10, rnd);
        faces = makeFaces(sampleSites(units, rnd));
        fx = new double[faces.size()];
        fy = new double[faces.size()];
        for (int i = 0; i < faces.size(); i++) {
            Point c = faces.get(i).getCentroid();
            fx[i] = c.getX();
            fy[i] = c.getY();
        }
        segOwners = segmentOwners(faces);
        nbr = neighbours(faces.size(), segOwners);
    }

    // ------------------------------------------------------------------ outline and density

    private static Polygon makeOutline(SplittableRandom rnd) {
        for (int attempt = 0; ; attempt++) {
            int n = 14 + rnd.nextInt(3);
            double rot = rnd.nextDouble() * Math.PI;
            double ex = 1.15 + rnd.nextDouble() * 0.15, ey = 1 / ex;
            Coordinate[] pts = new Coordinate[n];
            for (int i = 0; i < n; i++) {
                double a = 2 * Math.PI * (i + (rnd.nextDouble() - 0.5) * 0.5) / n;
                double r = 1 + (rnd.nextDouble() - 0.5) * 0.16;
                double x = r * Math.cos(a) * ex, y = r * Math.sin(a) * ey;
                pts[i] =
                        new Coordinate(
                                x * Math.cos(rot) - y * Math.sin(rot),
                                x * Math.sin(rot) + y * Math.cos(rot));
            }
            Geometry hull = new ConvexHull(pts, GF_FLOAT).getConvexHull();
            double s = Math.sqrt(AREA_M2 / hull.getArea());
            Coordinate[] scaled = new Coordinate[pts.length];
            for (int i = 0; i < pts.length; i++) {
                scaled[i] =
                        new Coordinate(
                                PM.makePrecise(CENTRE_X + pts[i].x * s),
                                PM.makePrecise(CENTRE_Y + pts[i].y * s));
            }
            Geometry h = new ConvexHull(scaled, GF).getConvexHull();
            if (h instanceof Polygon poly && poly.getNumPoints() - 1 >= 12 || attempt > 50)
                return (Polygon) h;
        }
    }

    private double[][] placeHamlets(int n, SplittableRandom rnd) {
        Envelope env = outline.getEnvelopeInternal();
        double[][] h = new double[n][];
        int k = 0;
        while (k < n) {
            double x = env.getMinX() + rnd.nextDouble() * env.getWidth();
            double y = env.getMinY() + rnd.nextDouble() * env.getHeight();
            if (!inside(x, y) || Math.hypot(x - coreX, y - coreY) < CORE_RADIUS * 1.25) continue;
            boolean far = true;
            for (int i = 0; i < k; i++) far &= Math.hypot(h[i][0] - x, h[i][1] - y) > 900;
            if (far) h[k++] = new double[] {x, y};
        }
        return h;
    }

    double coreness(double x, double y) {
        double r = Math.hypot(x - coreX, y - coreY);
        return 1 / (1 + Math.exp((r - CORE_RADIUS) / 150));
    }

    double hamletness(double x, double y) {
        double s = 0;
        for (double[] h : hamlets) {
            double d = Math.hypot(x - h[0], y - h[1]) / HAMLET_RADIUS;
            s += Math.exp(-d * d);
        }
        return s;
    }

    private double density(double x, double y) {
        return 0.55 + 1.2 * coreness(x, y) + 0.8 * hamletness(x, y);
    }

    private boolean inside(double x, double y) {
        return RayCrossingCounter.locatePointInRing(
                        new Coordinate(x, y), outline.getExteriorRing().getCoordinates())
                == Location.INTERIOR;
    }

    private double distanceToOutline(double x, double y) {
        Coordinate[] ring = outline.getExteriorRing().getCoordinates();
        Coordinate c = new Coordinate(x, y);
        double d = Double.MAX_VALUE;
        for (int i = 0; i + 1 < ring.length; i++)
            d = Math.min(d, Distance.pointToSegment(c, ring[i], ring[i + 1]));
        return d;
    }

    double distToCore(double[] xy) {
        return Math.hypot(xy[0] - coreX, xy[1] - coreY);
    }

    // ------------------------------------------------------------------ units

    /** A Poisson-disk-like process whose local spacing follows the density. */
    private List<Coordinate> sampleSites(int n, SplittableRandom rnd) {
        Envelope env = outline.getEnvelopeInternal();
        double area = outline.getArea();
        double sum = 0, max = 0;
        int m = 0;
        while (m < 20_000) {
            double x = env.getMinX() + rnd.nextDouble() * env.getWidth();
            double y = env.getMinY() + rnd.nextDouble() * env.getHeight();
            if (!inside(x, y)) continue;
            double d = density(x, y);
            sum += d;
            max = Math.max(max, d);
            m++;
        }
        double mean = sum / m;
        double base = Math.sqrt(area / n);
        double minSpacingFactor = 0.5;
        double cell = minSpacingFactor * base * Math.sqrt(mean / max);
        Map<Long, List<double[]>> hash = new HashMap<>();
        List<Coordinate> sites = new ArrayList<>(n);
        long attempts = 0, limit = 400L * n;
        while (sites.size() < n && attempts++ < limit) {
            double x = env.getMinX() + rnd.nextDouble() * env.getWidth();
            double y = env.getMinY() + rnd.nextDouble() * env.getHeight();
            double d = density(x, y);
            if (rnd.nextDouble() * max > d || !inside(x, y)) continue;
            double minDist = minSpacingFactor * base * Math.sqrt(mean / d);
            if (distanceToOutline(x, y) < minDist * 0.3) continue;
            long cx = (long) Math.floor((x - env.getMinX()) / cell),
                    cy = (long) Math.floor((y - env.getMinY()) / cell);
            int reach = (int) Math.ceil(minDist / cell);
            boolean ok = true;
            search:
            for (long i = cx - reach; i <= cx + reach; i++) {
                for (long j = cy - reach; j <= cy + reach; j++) {
                    List<double[]> bucket = hash.get(i * 1_000_003L + j);
                    if (bucket == null) continue;
                    for (double[] q : bucket) {
                        if (Math.hypot(q[0] - x, q[1] - y) < minDist) {
                            ok = false;
                            break search;
                        }
                    }
                }
            }
            if (!ok) continue;
            hash.computeIfAbsent(cx * 1_000_003L + cy, k -> new ArrayList<>())
                    .add(new double[] {x, y});
            sites.add(new Coordinate(x, y));
        }
        return sites;
    }

    /**
     * Voronoi cells of the sites, clipped to the outline. The cell edges and the outline are
     * snap-rounded together into one noded linework and polygonized, so the faces form an exact
     * coverage: shared edges have identical vertices.
     */
    private List<Polygon> makeFaces(List<Coordinate> sites) {
        VoronoiDiagramBuilder vb = new VoronoiDiagramBuilder();
        vb.setSites(sites);
        Envelope clip = new Envelope(outline.getEnvelopeInternal());
        clip.expandBy(500);
        vb.setClipEnvelope(clip);
        vb.setTolerance(0.0);
        Geometry cells = vb.getDiagram(GF_FLOAT);
        List<Geometry> lines = new ArrayList<>(cells.getNumGeometries() + 1);
        for (int i = 0; i < cells.getNumGeometries(); i++)
            lines.add(cells.getGeometryN(i).getBoundary());
        lines.add(GF_FLOAT.createLineString(outline.getExteriorRing().getCoordinates()));
        Geometry noded = UnaryUnionNG.union(lines, GF_FLOAT, PM);
        Polygonizer pz = new Polygonizer();
        pz.add(noded);
        List<Polygon> kept = new ArrayList<>();
        for (Object o : pz.getPolygons()) {
            Polygon face = (Polygon) o;
            Point ip = face.getInteriorPoint();
            if (!inside(ip.getX(), ip.getY())) continue;
            Polygon g = (Polygon) GF.createGeometry(face);
            g.normalize();
            kept.add(g);
        }
        kept.sort(
                Comparator.comparingDouble((Polygon g) -> g.getEnvelopeInternal().getMinX())
                        .thenComparingDouble(g -> g.getEnvelopeInternal().getMinY())
                        .thenComparingDouble(g -> g.getEnvelopeInternal().getMaxX())
                        .thenComparingDouble(g -> g.getEnvelopeInternal().getMaxY()));
        return kept;
    }

    // ------------------------------------------------------------------ adjacency

    /** A boundary segment by its two end points' keys, the lower first. */
    record Seg(long a, long b) {
        static Seg of(Coordinate p, Coordinate q) {
            long a = key(p), b = key(q);
            return a < b ? new Seg(a, b) : new Seg(b, a);
        }
    }

    /** A point on the 1 cm grid as one number. */
    static long key(Coordinate c) {
        return (Math.round(c.x * 100) << 32) | Math.round(c.y * 100);
    }

    static Coordinate unkey(long k) {
        return new Coordinate((k >>> 32) / 100.0, (k & 0xffffffffL) / 100.0);
    }

    private static Map<Seg, int[]> segmentOwners(List<Polygon> faces) {
        Map<Seg, int[]> owners = new LinkedHashMap<>();
        for (int i = 0; i < faces.size(); i++) {
            Polygon f = faces.get(i);
            if (f.getNumInteriorRing() > 0) throw new IllegalStateException("unit with a hole");
            Coordinate[] cs = f.getExteriorRing().getCoordinates();
            for (int j = 0; j + 1 < cs.length; j++) {
                int fi = i;
                owners.merge(
                        Seg.of(cs[j], cs[j + 1]),
                        new int[] {fi},
                        (a, b) -> {
                            int[] r = Arrays.copyOf(a, a.length + 1);
                            r[a.length] = b[0];
                            return r;
                        });
            }
        }
        return owners;
    }

    private static int[][] neighbours(int n, Map<Seg, int[]> segOwners) {
        List<Set<Integer>> sets = new ArrayList<>();
        for (int i = 0; i < n; i++) sets.add(new TreeSet<>());
        for (int[] owners : segOwners.values()) {
            if (owners.length > 2)
                throw new IllegalStateException("an edge shared by " + owners.length + " units");
            if (owners.length == 2 && owners[0] != owners[1]) {
                sets.get(owners[0]).add(owners[1]);
                sets.get(owners[1]).add(owners[0]);
            }
        }
        int[][] nbr = new int[n][];
        for (int i = 0; i < n; i++)
            nbr[i] = sets.get(i).stream().mapToInt(Integer::intValue).toArray();
        return nbr;
    }

    /**
     * Connected components (by shared edges) of a set of faces, each list in BFS order from its
     * lowest index.
     */
    List<List<Integer>> componentsOf(List<Integer> members, Set<Integer> excluded) {
        Set<Integer> in = new HashSet<>(members);
        if (excluded != null) in.removeAll(excluded);
        Set<Integer> seen = new HashSet<>();
        List<List<Integer>> out = new ArrayList<>();
        for (int s : members) {
            if (!in.contains(s) || seen.contains(s)) continue;
            List<Integer> comp = new ArrayList<>();
            ArrayDeque<Integer> q = new ArrayDeque<>();
            q.add(s);
            seen.add(s);
            while (!q.isEmpty()) {
                int f = q.poll();
                comp.add(f);
                for (int g : nbr[f]) if (in.contains(g) && seen.add(g)) q.add(g);
            }
            out.add(comp);
        }
        return out;
    }

    // ------------------------------------------------------------------ by community

    /** Faces of working community k, ascending. */
    List<Integer> facesOf(int k) {
        List<Integer> members = new ArrayList<>();
        for (int i = 0; i < faces.size(); i++) if (comm[i] == k) members.add(i);
        return members;
    }

    /** Mean face centroid of working community k. */
    double[] centroidOf(int k) {
        double x = 0, y = 0;
        int n = 0;
        for (int i = 0; i < faces.size(); i++) {
            if (comm[i] == k) {
                x += fx[i];
                y += fy[i];
                n++;
            }
        }
        return new double[] {x / n, y / n};
    }

    /** The faces' coverage union, normalized. */
    Geometry union(List<Integer> fs) {
        Polygon[] ps = new Polygon[fs.size()];
        for (int i = 0; i < ps.length; i++) ps[i] = faces.get(fs.get(i));
        Geometry u = CoverageUnion.union(GF.createMultiPolygon(ps));
        u.normalize();
        return u;
    }
}
