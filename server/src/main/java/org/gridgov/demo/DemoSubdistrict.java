package org.gridgov.demo;

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
import java.util.TreeMap;
import org.gridgov.category.Platforms;
import org.gridgov.demo.DemoData.Community;
import org.gridgov.demo.DemoData.CommunityKind;
import org.gridgov.demo.DemoData.Grid;
import org.gridgov.demo.DemoData.RoadEdge;
import org.gridgov.demo.DemoData.RoadVertex;
import org.gridgov.demo.DemoData.Staff;
import org.gridgov.demo.DemoData.Unit;
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
 * Builds the demo subdistrict (新街街道, ≈30 km² near 120.29°E 30.19°N) as plain data: outline, base
 * units (Voronoi cells of a seeded point process, denser in an urban core and in village hamlets),
 * communities (contiguous unions of units), the road network (the unit edges), the initial grid
 * plan and the staff. Pure Java, no database; the same {@link DemoParams} always give the same
 * result, bit for bit.
 *
 * <p>All geometry is planar EPSG:4549 on a 1 cm grid; coverages are built from one snap-rounded
 * linework, so neighbouring polygons share identical vertices.
 */
public final class DemoSubdistrict {

    public static final int SRID = 4549;

    /** 120.29°E 30.19°N in EPSG:4549 (checked with PostGIS ST_Transform). */
    public static final double CENTRE_X = 527_927.62;

    public static final double CENTRE_Y = 3_341_211.21;
    public static final double AREA_M2 = 30e6;
    public static final double DISTRICT_BUFFER_M = 6_000;
    public static final String SUBDISTRICT_CODE = "330108001";
    public static final String SUBDISTRICT_NAME = "新街街道";
    public static final String DISTRICT_CODE = "330108";
    public static final String DISTRICT_NAME = "滨江区";

    /**
     * Target total households for {@link DemoParams#defaults()}; scaled with the number of units.
     */
    public static final int HOUSEHOLDS_PER_6000_UNITS = 25_000;

    static final PrecisionModel PM = new PrecisionModel(100);
    public static final GeometryFactory GF = new GeometryFactory(PM, SRID);
    private static final GeometryFactory GF_FLOAT = new GeometryFactory(new PrecisionModel(), SRID);

    private static final double CORE_RADIUS = 1_200;
    private static final double HAMLET_RADIUS = 300;

    private final DemoParams p;
    private final SplittableRandom rnd;

    private Polygon outline;
    private double coreX, coreY;
    private double[][] hamlets;

    // Working state, by face index.
    private List<Polygon> faces;
    private double[] fx, fy;
    private int[][] nbr;
    private Map<Seg, int[]> segOwners;
    private int[] comm; // working community index
    private boolean[] commUrban;
    private String[] landUse;
    private int[] households;
    private int[] special; // special-grid index or -1

    private DemoSubdistrict(DemoParams p) {
        this.p = p;
        this.rnd = new SplittableRandom(p.seed());
    }

    public static DemoData generate(DemoParams p) {
        if (p.communities() < 2 || p.communities() > DemoNames.URBAN.length) {
            throw new IllegalArgumentException(
                    "communities must be 2.." + DemoNames.URBAN.length + ": " + p.communities());
        }
        if (p.units() < p.communities() * 30) {
            throw new IllegalArgumentException(
                    "need at least 30 units per community: units=" + p.units());
        }
        if (p.householdsPerGrid() < 50)
            throw new IllegalArgumentException(
                    "householdsPerGrid too small: " + p.householdsPerGrid());
        return new DemoSubdistrict(p).build();
    }

    private DemoData build() {
        outline = makeOutline();
        double ang = rnd.nextDouble() * 2 * Math.PI;
        double off = 300 + rnd.nextDouble() * 400;
        coreX = CENTRE_X + off * Math.cos(ang);
        coreY = CENTRE_Y + off * Math.sin(ang);
        hamlets = placeHamlets(10);
        List<Coordinate> sites = sampleSites(p.units());
        makeFaces(sites);
        buildAdjacency();
        assignCommunities();
        assignLandUse();
        List<SpecialSpec> specials = carveSpecials();
        scaleHouseholds();
        return assemble(specials);
    }

    // ------------------------------------------------------------------ outline and density

    private Polygon makeOutline() {
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

    private double[][] placeHamlets(int n) {
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

    // ------------------------------------------------------------------ units

    /** A Poisson-disk-like process whose local spacing follows the density. */
    private List<Coordinate> sampleSites(int n) {
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
    private void makeFaces(List<Coordinate> sites) {
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
        faces = kept;
        fx = new double[faces.size()];
        fy = new double[faces.size()];
        for (int i = 0; i < faces.size(); i++) {
            Point c = faces.get(i).getCentroid();
            fx[i] = c.getX();
            fy[i] = c.getY();
        }
    }

    record Seg(long a, long b) {
        static Seg of(Coordinate p, Coordinate q) {
            long a = key(p), b = key(q);
            return a < b ? new Seg(a, b) : new Seg(b, a);
        }
    }

    static long key(Coordinate c) {
        return (Math.round(c.x * 100) << 32) | Math.round(c.y * 100);
    }

    static Coordinate unkey(long k) {
        return new Coordinate((k >>> 32) / 100.0, (k & 0xffffffffL) / 100.0);
    }

    private void buildAdjacency() {
        segOwners = new LinkedHashMap<>();
        for (int i = 0; i < faces.size(); i++) {
            Polygon f = faces.get(i);
            if (f.getNumInteriorRing() > 0) throw new IllegalStateException("unit with a hole");
            Coordinate[] cs = f.getExteriorRing().getCoordinates();
            for (int j = 0; j + 1 < cs.length; j++) {
                int fi = i;
                segOwners.merge(
                        Seg.of(cs[j], cs[j + 1]),
                        new int[] {fi},
                        (a, b) -> {
                            int[] r = Arrays.copyOf(a, a.length + 1);
                            r[a.length] = b[0];
                            return r;
                        });
            }
        }
        List<Set<Integer>> sets = new ArrayList<>();
        for (int i = 0; i < faces.size(); i++) sets.add(new java.util.TreeSet<>());
        for (int[] owners : segOwners.values()) {
            if (owners.length > 2)
                throw new IllegalStateException("an edge shared by " + owners.length + " units");
            if (owners.length == 2 && owners[0] != owners[1]) {
                sets.get(owners[0]).add(owners[1]);
                sets.get(owners[1]).add(owners[0]);
            }
        }
        nbr = new int[faces.size()][];
        for (int i = 0; i < faces.size(); i++)
            nbr[i] = sets.get(i).stream().mapToInt(Integer::intValue).toArray();
    }

    // ------------------------------------------------------------------ communities

    private void assignCommunities() {
        int c = p.communities();
        int nUrban = Math.max(1, (int) Math.round(c * 0.35));
        int n = faces.size();
        List<Integer> urbanCand = new ArrayList<>(), villageCand = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            double r = Math.hypot(fx[i] - coreX, fy[i] - coreY);
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
                                (outline.getArea() - Math.PI * CORE_RADIUS * CORE_RADIUS)
                                        / (c - nUrban)));
        commUrban = new boolean[c];
        for (int k = 0; k < nUrban; k++) {
            seeds[k] = us.get(k);
            commUrban[k] = true;
        }
        for (int k = nUrban; k < c; k++) seeds[k] = vs.get(k - nUrban);
        comm = new int[n];
        for (int iter = 0; iter < 8; iter++) {
            nearestSeed(seeds);
            double[][] acc = new double[c][3];
            for (int i = 0; i < n; i++) {
                // weighted by expected households: urban communities come out smaller in area and
                // units
                double w = 1 + 6 * coreness(fx[i], fy[i]);
                acc[comm[i]][0] += fx[i] * w;
                acc[comm[i]][1] += fy[i] * w;
                acc[comm[i]][2] += w;
            }
            for (int k = 0; k < c; k++) {
                if (acc[k][2] == 0) continue;
                double nx = acc[k][0] / acc[k][2], ny = acc[k][1] / acc[k][2];
                // urban seeds stay in the core, village seeds outside it
                double r = Math.hypot(nx - coreX, ny - coreY);
                if (commUrban[k] == (r < CORE_RADIUS)) seeds[k] = new double[] {nx, ny};
            }
        }
        nearestSeed(seeds);
        makeCommunitiesContiguous(seeds);
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
                for (double[] q : chosen) ok &= Math.hypot(q[0] - fx[i], q[1] - fy[i]) >= sp;
                if (ok) chosen.add(new double[] {fx[i], fy[i]});
                if (chosen.size() == k) return chosen;
            }
            sp *= 0.85;
        }
    }

    private void nearestSeed(double[][] seeds) {
        for (int i = 0; i < faces.size(); i++) {
            int best = 0;
            double bd = Double.MAX_VALUE;
            for (int k = 0; k < seeds.length; k++) {
                double d = Math.hypot(seeds[k][0] - fx[i], seeds[k][1] - fy[i]);
                if (d < bd) {
                    bd = d;
                    best = k;
                }
            }
            comm[i] = best;
        }
    }

    /** Moves every detached piece of a community to the neighbour it shares most edges with. */
    private void makeCommunitiesContiguous(double[][] seeds) {
        for (int round = 0; round < 50; round++) {
            boolean changed = false;
            for (int k = 0; k < seeds.length; k++) {
                List<List<Integer>> comps = components(k);
                if (comps.size() <= 1) continue;
                comps.sort(
                        Comparator.comparingInt((List<Integer> l) -> -l.size())
                                .thenComparingInt(l -> l.get(0)));
                for (List<Integer> piece : comps.subList(1, comps.size())) {
                    TreeMap<Integer, Integer> touch = new TreeMap<>();
                    for (int f : piece)
                        for (int q : nbr[f])
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
        int[] count = new int[seeds.length];
        for (int c : comm) count[c]++;
        for (int k = 0; k < seeds.length; k++) {
            if (count[k] == 0)
                throw new IllegalStateException(
                        "community " + k + " came out empty; try another seed");
            if (components(k).size() != 1)
                throw new IllegalStateException("community " + k + " is not contiguous");
        }
    }

    private List<List<Integer>> components(int k) {
        List<Integer> members = new ArrayList<>();
        for (int i = 0; i < faces.size(); i++) if (comm[i] == k) members.add(i);
        return componentsOf(members, null);
    }

    /**
     * Connected components (by shared edges) of a set of faces, each list in BFS order from its
     * lowest index.
     */
    private List<List<Integer>> componentsOf(List<Integer> members, Set<Integer> excluded) {
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

    // ------------------------------------------------------------------ land use and households

    private void assignLandUse() {
        int n = faces.size();
        landUse = new String[n];
        households = new int[n];
        special = new int[n];
        Arrays.fill(special, -1);
        for (int i = 0; i < n; i++) {
            double u = rnd.nextDouble();
            String lu;
            if (commUrban[comm[i]]) {
                lu =
                        u < 0.66
                                ? "RESIDENTIAL"
                                : u < 0.80
                                        ? "COMMERCIAL"
                                        : u < 0.89 ? "PUBLIC" : u < 0.95 ? "OPEN" : "INDUSTRIAL";
            } else if (hamletness(fx[i], fy[i]) > 0.35) {
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

    private void scaleHouseholds() {
        long raw = 0;
        for (int h : households) raw += h;
        double target = (double) HOUSEHOLDS_PER_6000_UNITS * p.units() / 6000;
        double f = target / Math.max(1, raw);
        for (int i = 0; i < households.length; i++) {
            if (households[i] == 0) continue;
            households[i] = Math.max(1, (int) Math.floor(households[i] * f + rnd.nextDouble()));
        }
    }

    record SpecialSpec(String label, String landUse, int community, List<Integer> faces) {}

    /** 专属网格: a farmers' market, a school campus (urban) and an industrial park (village). */
    private List<SpecialSpec> carveSpecials() {
        int c = p.communities();
        List<Integer> urban = new ArrayList<>(), village = new ArrayList<>();
        for (int k = 0; k < c; k++) (commUrban[k] ? urban : village).add(k);
        urban.sort(Comparator.comparingDouble(k -> distToCore(centroidOf(k))));
        village.sort(Comparator.comparingInt(k -> -sizeOf((int) k)));
        List<SpecialSpec> out = new ArrayList<>();
        out.add(carve("农贸市场", "COMMERCIAL", urban.get(0), 4, true));
        out.add(carve("育才学校", "PUBLIC", urban.get(urban.size() > 1 ? 1 : 0), 5, false));
        out.add(carve("工业园区", "INDUSTRIAL", village.get(0), 20, false));
        return out;
    }

    private double[] centroidOf(int k) {
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

    private int sizeOf(int k) {
        int n = 0;
        for (int c : comm) if (c == k) n++;
        return n;
    }

    private double distToCore(double[] xy) {
        return Math.hypot(xy[0] - coreX, xy[1] - coreY);
    }

    private SpecialSpec carve(String label, String lu, int k, int size, boolean nearCore) {
        List<Integer> members = new ArrayList<>();
        for (int i = 0; i < faces.size(); i++) if (comm[i] == k) members.add(i);
        double[] ctr = nearCore ? new double[] {coreX, coreY} : centroidOf(k);
        List<Integer> starts = new ArrayList<>(members);
        starts.sort(Comparator.comparingDouble(i -> Math.hypot(fx[i] - ctr[0], fy[i] - ctr[1])));
        Set<Integer> taken = new HashSet<>();
        for (int i : members) if (special[i] >= 0) taken.add(i);
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
                int[] ns = nbr[f].clone();
                for (int g : ns) if (comm[g] == k && !taken.contains(g) && seen.add(g)) q.add(g);
            }
            if (cluster.size() < Math.min(size, 2)) continue;
            Set<Integer> excl = new HashSet<>(taken);
            excl.addAll(cluster);
            List<List<Integer>> rest = componentsOf(members, excl);
            if (rest.size() != 1) continue;
            for (int f : cluster) {
                special[f] = idx;
                landUse[f] = lu;
                households[f] = lu.equals("COMMERCIAL") ? rnd.nextInt(3) : 0;
            }
            return new SpecialSpec(label, lu, k, cluster);
        }
        throw new IllegalStateException("no place for the special grid " + label);
    }

    private int specialCount() {
        int m = -1;
        for (int s : special) m = Math.max(m, s);
        return m + 1;
    }

    // ------------------------------------------------------------------ grids

    /**
     * Region growing over the adjacency graph inside one community: contiguous grids of ~target
     * households.
     */
    private List<List<Integer>> growGrids(List<Integer> pool, int target) {
        double[] w = new double[faces.size()];
        double total = 0;
        for (int f : pool) {
            w[f] = households[f] + 0.3;
            total += households[f];
        }
        int k = (int) Math.max(1, Math.round(total / target));
        k = Math.min(k, pool.size());
        // farthest-point seeds
        double mx = 0, my = 0;
        for (int f : pool) {
            mx += fx[f];
            my += fy[f];
        }
        mx /= pool.size();
        my /= pool.size();
        List<Integer> seeds = new ArrayList<>();
        int first = pool.get(0);
        for (int f : pool)
            if (Math.hypot(fx[f] - mx, fy[f] - my) > Math.hypot(fx[first] - mx, fy[first] - my))
                first = f;
        seeds.add(first);
        while (seeds.size() < k) {
            int best = -1;
            double bd = -1;
            for (int f : pool) {
                double d = Double.MAX_VALUE;
                for (int s : seeds) d = Math.min(d, Math.hypot(fx[f] - fx[s], fy[f] - fy[s]));
                if (d > bd) {
                    bd = d;
                    best = f;
                }
            }
            seeds.add(best);
        }
        Map<Integer, Integer> assign = null;
        for (int iter = 0; iter < 3; iter++) {
            assign = grow(pool, seeds, w);
            if (iter == 2) break;
            // move each seed to the member nearest the household-weighted centre of its grid
            double[][] acc = new double[k][3];
            for (int f : pool) {
                int g = assign.get(f);
                acc[g][0] += fx[f] * w[f];
                acc[g][1] += fy[f] * w[f];
                acc[g][2] += w[f];
            }
            List<Integer> next = new ArrayList<>();
            for (int g = 0; g < k; g++) {
                double cx = acc[g][0] / acc[g][2], cy = acc[g][1] / acc[g][2];
                int best = seeds.get(g);
                for (int f : pool) {
                    if (assign.get(f) == g
                            && Math.hypot(fx[f] - cx, fy[f] - cy)
                                    < Math.hypot(fx[best] - cx, fy[best] - cy)) best = f;
                }
                next.add(best);
            }
            seeds = next;
        }
        rebalance(pool, assign, k, w);
        List<List<Integer>> grids = new ArrayList<>();
        for (int g = 0; g < k; g++) grids.add(new ArrayList<>());
        for (int f : pool) grids.get(assign.get(f)).add(f);
        grids.removeIf(List::isEmpty);
        return grids;
    }

    private Map<Integer, Integer> grow(List<Integer> pool, List<Integer> seeds, double[] w) {
        Set<Integer> inPool = new HashSet<>(pool);
        Map<Integer, Integer> assign = new HashMap<>();
        int k = seeds.size();
        double[] load = new double[k];
        List<List<Integer>> frontier = new ArrayList<>();
        for (int g = 0; g < k; g++) {
            int s = seeds.get(g);
            assign.put(s, g);
            load[g] = w[s];
            frontier.add(new ArrayList<>());
        }
        for (int g = 0; g < k; g++)
            for (int q : nbr[seeds.get(g)])
                if (inPool.contains(q) && !assign.containsKey(q)) frontier.get(g).add(q);
        int remaining = pool.size() - k;
        while (remaining > 0) {
            int bestG = -1;
            for (int g = 0; g < k; g++) {
                frontier.get(g).removeIf(assign::containsKey);
                if (frontier.get(g).isEmpty()) continue;
                if (bestG < 0 || load[g] < load[bestG]) bestG = g;
            }
            if (bestG < 0)
                throw new IllegalStateException("grid growth stalled: pool not connected");
            int s = seeds.get(bestG);
            int pick = -1;
            for (int f : frontier.get(bestG)) {
                if (pick < 0
                        || Math.hypot(fx[f] - fx[s], fy[f] - fy[s])
                                < Math.hypot(fx[pick] - fx[s], fy[pick] - fy[s])) pick = f;
            }
            assign.put(pick, bestG);
            load[bestG] += w[pick];
            remaining--;
            for (int q : nbr[pick])
                if (inPool.contains(q) && !assign.containsKey(q)) frontier.get(bestG).add(q);
        }
        return assign;
    }

    /**
     * Moves boundary units from heavier to lighter neighbouring grids while both stay contiguous.
     */
    private void rebalance(List<Integer> pool, Map<Integer, Integer> assign, int k, double[] w) {
        double[] load = new double[k];
        for (int f : pool) load[assign.get(f)] += w[f];
        for (int pass = 0; pass < 6; pass++) {
            boolean moved = false;
            for (int f : pool) {
                int g = assign.get(f);
                for (int q : nbr[f]) {
                    Integer h = assign.get(q);
                    if (h == null || h == g) continue;
                    double before = Math.abs(load[g] - load[h]);
                    double after = Math.abs((load[g] - w[f]) - (load[h] + w[f]));
                    if (after + 0.5 >= before) continue;
                    if (!staysConnected(pool, assign, g, f)) continue;
                    assign.put(f, h);
                    load[g] -= w[f];
                    load[h] += w[f];
                    moved = true;
                    break;
                }
            }
            if (!moved) break;
        }
    }

    private boolean staysConnected(
            List<Integer> pool, Map<Integer, Integer> assign, int g, int removed) {
        List<Integer> members = new ArrayList<>();
        for (int f : pool) if (assign.get(f) == g && f != removed) members.add(f);
        if (members.isEmpty()) return false;
        return componentsOf(members, null).size() == 1;
    }

    // ------------------------------------------------------------------ assembly

    private DemoData assemble(List<SpecialSpec> specials) {
        int c = p.communities();
        int n = faces.size();
        // community order: urban by distance to the core, then villages clockwise from north
        Integer[] order = new Integer[c];
        for (int k = 0; k < c; k++) order[k] = k;
        double[][] ctr = new double[c][];
        for (int k = 0; k < c; k++) ctr[k] = centroidOf(k);
        Arrays.sort(
                order,
                Comparator.comparing((Integer k) -> !commUrban[k])
                        .thenComparingDouble(
                                k ->
                                        commUrban[k]
                                                ? distToCore(ctr[k])
                                                : (Math.atan2(ctr[k][0] - coreX, ctr[k][1] - coreY)
                                                                + 2 * Math.PI)
                                                        % (2 * Math.PI)));
        int[] commId = new int[c];
        for (int i = 0; i < c; i++) commId[order[i]] = i + 1;
        int nUrban = 0;
        for (boolean b : commUrban) if (b) nUrban++;
        List<String> urbanNames = DemoNames.pick(DemoNames.URBAN, nUrban, rnd);
        List<String> villageNames = DemoNames.pick(DemoNames.VILLAGE, c - nUrban, rnd);

        // unit order: by community, then north to south, west to east
        Integer[] uo = new Integer[n];
        for (int i = 0; i < n; i++) uo[i] = i;
        Arrays.sort(
                uo,
                Comparator.comparingInt((Integer i) -> commId[comm[i]])
                        .thenComparingDouble(i -> -Math.floor(fy[i] / 50))
                        .thenComparingDouble(i -> fx[i]));
        int[] unitId = new int[n];
        for (int i = 0; i < n; i++) unitId[uo[i]] = i + 1;

        List<Community> communities = new ArrayList<>();
        List<List<Integer>> facesOf = new ArrayList<>();
        int ui = 0, vi = 0;
        for (int i = 0; i < c; i++) {
            int k = order[i];
            boolean urban = commUrban[k];
            String name = urban ? urbanNames.get(ui++) + "社区" : villageNames.get(vi++) + "村";
            List<Integer> fs = new ArrayList<>();
            for (int f : uo) if (comm[f] == k) fs.add(f);
            facesOf.add(fs);
            Geometry geom = union(fs);
            communities.add(
                    new Community(
                            i + 1,
                            SUBDISTRICT_CODE + String.format("%03d", i + 1),
                            name,
                            urban ? CommunityKind.URBAN : CommunityKind.VILLAGE,
                            geom));
        }

        double[] hot = hotWeights(specials);
        List<Unit> units = new ArrayList<>(n);
        int[] seqInComm = new int[c + 1];
        for (int i = 0; i < n; i++) {
            int f = uo[i];
            int cid = commId[comm[f]];
            String code = communities.get(cid - 1).code() + String.format("%04d", ++seqInComm[cid]);
            int pop = (int) Math.round(households[f] * (2.3 + 0.7 * rnd.nextDouble()));
            units.add(
                    new Unit(
                            i + 1,
                            cid,
                            code,
                            landUse[f],
                            households[f],
                            pop,
                            faces.get(f),
                            hot[f]));
        }
        int[][] neighbours = new int[n][];
        for (int i = 0; i < n; i++) {
            int f = uo[i];
            neighbours[i] = Arrays.stream(nbr[f]).map(q -> unitId[q] - 1).sorted().toArray();
        }

        // grids, community by community; staff id of a grid's full-time worker = grid id
        List<Grid> grids = new ArrayList<>();
        long[] gridOfUnit = new long[n];
        for (int i = 0; i < c; i++) {
            int k = order[i];
            Community cm = communities.get(i);
            List<Integer> pool = new ArrayList<>();
            for (int f : facesOf.get(i)) if (special[f] < 0) pool.add(f);
            List<List<Integer>> basic = growGrids(pool, p.householdsPerGrid());
            basic.sort(
                    Comparator.comparingDouble((List<Integer> g) -> -Math.floor(meanY(g) / 200))
                            .thenComparingDouble(this::meanX));
            int seq = 0;
            for (List<Integer> g : basic) {
                seq++;
                grids.add(
                        gridOf(
                                grids.size() + 1,
                                cm,
                                seq,
                                cm.name() + "第" + seq + "网格",
                                "BASIC",
                                g,
                                unitId,
                                gridOfUnit));
            }
            for (SpecialSpec s : specials) {
                if (s.community() != k) continue;
                seq++;
                grids.add(
                        gridOf(
                                grids.size() + 1,
                                cm,
                                seq,
                                cm.name() + s.label() + "专属网格",
                                "SPECIAL",
                                s.faces(),
                                unitId,
                                gridOfUnit));
            }
        }
        for (long g : gridOfUnit)
            if (g == 0) throw new IllegalStateException("a unit without a grid");

        Polygon sub = (Polygon) union(java.util.stream.IntStream.range(0, n).boxed().toList());
        Polygon district = (Polygon) sub.buffer(DISTRICT_BUFFER_M, 8);
        List<RoadVertex> vertices = new ArrayList<>();
        List<RoadEdge> edges = new ArrayList<>();
        buildRoads(commId, vertices, edges, communities);
        List<Staff> staff = makeStaff(grids, communities);
        return new DemoData(
                sub,
                district,
                List.copyOf(communities),
                List.copyOf(units),
                neighbours,
                List.copyOf(grids),
                gridOfUnit,
                List.copyOf(vertices),
                List.copyOf(edges),
                List.copyOf(staff));
    }

    private double meanX(List<Integer> g) {
        return g.stream().mapToDouble(f -> fx[f]).average().orElse(0);
    }

    private double meanY(List<Integer> g) {
        return g.stream().mapToDouble(f -> fy[f]).average().orElse(0);
    }

    private Grid gridOf(
            long id,
            Community cm,
            int seq,
            String name,
            String kind,
            List<Integer> fs,
            int[] unitId,
            long[] gridOfUnit) {
        long[] ids = fs.stream().mapToLong(f -> unitId[f]).sorted().toArray();
        int h = 0;
        for (int f : fs) h += households[f];
        for (long u : ids) gridOfUnit[(int) u - 1] = id;
        return new Grid(
                id, cm.id(), cm.code() + String.format("%03d", seq), name, kind, ids, h, id);
    }

    private Geometry union(List<Integer> fs) {
        Polygon[] ps = new Polygon[fs.size()];
        for (int i = 0; i < ps.length; i++) ps[i] = faces.get(fs.get(i));
        Geometry u = CoverageUnion.union(GF.createMultiPolygon(ps));
        u.normalize();
        return u;
    }

    private double[] hotWeights(List<SpecialSpec> specials) {
        int n = faces.size();
        double[][] streets = new double[3][];
        for (int s = 0; s < 3; s++) {
            double a = rnd.nextDouble() * Math.PI;
            double ox = coreX + (rnd.nextDouble() - 0.5) * CORE_RADIUS,
                    oy = coreY + (rnd.nextDouble() - 0.5) * CORE_RADIUS;
            streets[s] = new double[] {ox, oy, Math.cos(a), Math.sin(a)};
        }
        double[] w = new double[n];
        for (int f = 0; f < n; f++) {
            double bonus =
                    switch (landUse[f]) {
                        case "COMMERCIAL" -> 25;
                        case "INDUSTRIAL" -> 12;
                        case "PUBLIC" -> 10;
                        case "OPEN" -> 1;
                        default -> 0;
                    };
            double r = distToCore(new double[] {fx[f], fy[f]});
            double x =
                    (2 + households[f] + bonus)
                            * (1 + 1.5 * Math.exp(-(r / CORE_RADIUS) * (r / CORE_RADIUS)));
            for (double[] s : streets) {
                double d = Math.abs((fx[f] - s[0]) * s[3] - (fy[f] - s[1]) * s[2]);
                if (d < 70 && r < 2 * CORE_RADIUS) {
                    x *= 4;
                    break;
                }
            }
            if (special[f] >= 0)
                x *=
                        switch (specials.get(special[f]).landUse()) {
                            case "COMMERCIAL" -> 8;
                            case "PUBLIC" -> 2;
                            default -> 1.5;
                        };
            w[f] = Math.round(x * 1000) / 1000.0;
        }
        return w;
    }

    private void buildRoads(
            int[] commId,
            List<RoadVertex> vertices,
            List<RoadEdge> edges,
            List<Community> communities) {
        long[] keys =
                segOwners.keySet().stream()
                        .flatMapToLong(s -> java.util.stream.LongStream.of(s.a(), s.b()))
                        .distinct()
                        .sorted()
                        .toArray();
        Map<Long, Integer> vid = new HashMap<>();
        for (int i = 0; i < keys.length; i++) {
            vid.put(keys[i], i + 1);
            vertices.add(new RoadVertex(i + 1, unkey(keys[i])));
        }
        record E(int s, int t, String cls, Seg seg) {}
        List<E> es = new ArrayList<>();
        for (Map.Entry<Seg, int[]> e : segOwners.entrySet()) {
            int[] o = e.getValue();
            String cls;
            if (o.length == 1 || comm[o[0]] != comm[o[1]]) cls = "MAIN";
            else
                cls =
                        communities.get(commId[comm[o[0]]] - 1).kind() == CommunityKind.URBAN
                                ? "STREET"
                                : "LANE";
            es.add(new E(vid.get(e.getKey().a()), vid.get(e.getKey().b()), cls, e.getKey()));
        }
        es.sort(Comparator.comparingInt(E::s).thenComparingInt(E::t));
        long id = 0;
        for (E e : es) {
            Coordinate a = unkey(e.seg().a()), b = unkey(e.seg().b());
            double len = a.distance(b);
            double kmh =
                    switch (e.cls()) {
                        case "MAIN" -> 40;
                        case "STREET" -> 25;
                        default -> 15;
                    };
            double cost = len / (kmh / 3.6);
            edges.add(
                    new RoadEdge(
                            ++id,
                            e.s(),
                            e.t(),
                            e.cls(),
                            len,
                            cost,
                            GF.createLineString(new Coordinate[] {a, b})));
        }
    }

    private List<Staff> makeStaff(List<Grid> grids, List<Community> communities) {
        List<Staff> out = new ArrayList<>();
        Set<String> phones = new HashSet<>();
        for (Grid g : grids) {
            out.add(
                    new Staff(
                            out.size() + 1,
                            DemoNames.person(rnd),
                            "GRID_WORKER",
                            "FULL_TIME",
                            "GRID",
                            g.id(),
                            null,
                            null,
                            DemoNames.phone(rnd, phones),
                            true));
        }
        for (Grid g : grids) {
            if (rnd.nextDouble() < 0.3) {
                out.add(
                        new Staff(
                                out.size() + 1,
                                DemoNames.person(rnd),
                                "GRID_WORKER",
                                "PART_TIME",
                                "GRID",
                                g.id(),
                                null,
                                null,
                                DemoNames.phone(rnd, phones),
                                rnd.nextDouble() < 0.7));
            }
        }
        for (Community c : communities) {
            out.add(
                    new Staff(
                            out.size() + 1,
                            DemoNames.person(rnd),
                            "GRID_LEADER",
                            "FULL_TIME",
                            "COMMUNITY",
                            null,
                            c.id(),
                            null,
                            DemoNames.phone(rnd, phones),
                            true));
        }
        for (Community c : communities) {
            if (c.kind() != CommunityKind.VILLAGE) continue;
            out.add(
                    new Staff(
                            out.size() + 1,
                            DemoNames.person(rnd),
                            "VILLAGE_CADRE",
                            "FULL_TIME",
                            "COMMUNITY",
                            null,
                            c.id(),
                            null,
                            DemoNames.phone(rnd, phones),
                            true));
        }
        for (String pf : Platforms.CODES) {
            int handlers = 3 + rnd.nextInt(3);
            for (int i = 0; i < handlers; i++) {
                out.add(
                        new Staff(
                                out.size() + 1,
                                DemoNames.person(rnd),
                                "PLATFORM_HANDLER",
                                "FULL_TIME",
                                "PLATFORM",
                                null,
                                null,
                                pf,
                                DemoNames.phone(rnd, phones),
                                true));
            }
            out.add(
                    new Staff(
                            out.size() + 1,
                            DemoNames.person(rnd),
                            "PLATFORM_COMMANDER",
                            "FULL_TIME",
                            "PLATFORM",
                            null,
                            null,
                            pf,
                            DemoNames.phone(rnd, phones),
                            true));
        }
        String[][] centre = {
            {"CENTRE_OPERATOR", "4"},
            {"CENTRE_DIRECTOR", "1"},
            {"CHIEF_COMMANDER", "1"},
            {"PLANNER", "2"},
            {"DISTRICT_LIAISON", "1"},
            {"AUDITOR", "1"},
            {"ADMIN", "1"}
        };
        for (String[] r : centre) {
            for (int i = 0; i < Integer.parseInt(r[1]); i++) {
                out.add(
                        new Staff(
                                out.size() + 1,
                                DemoNames.person(rnd),
                                r[0],
                                "FULL_TIME",
                                "SUBDISTRICT",
                                null,
                                null,
                                null,
                                DemoNames.phone(rnd, phones),
                                true));
            }
        }
        return out;
    }
}
