package org.gridgov.rebalance;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.gridgov.geo.Crs;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Envelope;
import org.locationtech.jts.geom.GeometryFactory;
import org.locationtech.jts.geom.Point;
import org.locationtech.jts.geom.prep.PreparedGeometry;
import org.locationtech.jts.geom.prep.PreparedGeometryFactory;
import org.locationtech.jts.index.strtree.STRtree;
import org.locationtech.jts.io.ParseException;
import org.locationtech.jts.io.WKBReader;

/**
 * The base units as a planar graph: per unit its community, households, area, perimeter and
 * centroid in the planar CRS, the road length inside it, and its neighbours by shared edge with the
 * length they share ({@link SharedEdges}). Units are static between imports, so the graph is built
 * once (PostGIS reprojects and measures, Java finds the shared edges) and cached until the unit set
 * changes (unit_set_version, bumped by every write to base_unit or road_edge).
 */
public final class UnitGraph {

    // Area, perimeter and representative point are measured by JTS on the planar shape: one
    // ST_Transform per unit is all PostGIS does here (the rest cost it ~0.4 s of the first job).
    private static final String UNITS =
            """
            SELECT id, community_id, households, population, ST_AsBinary(geom), ST_AsBinary(ST_Transform(geom, %d))
            FROM base_unit WHERE retired_at IS NULL ORDER BY id""";

    private static final String ROADS = "SELECT ST_AsBinary(ST_Transform(geom, %d)) FROM road_edge";

    // unit_set_version (migration V8) changes with every write to base_unit or road_edge (an
    // import, on any instance); the counts are a cheap second guard.
    private static final String FINGERPRINT =
            """
            SELECT (SELECT version FROM unit_set_version) || ':' || count(*) || ':' || coalesce(max(id), 0) || ':'
                   || coalesce(sum(households), 0) FROM base_unit""";

    private static final Map<String, UnitGraph> CACHE = new HashMap<>();
    private static final GeometryFactory POINTS = new GeometryFactory();

    /** The planar CRS (EPSG code) of area, perimeter, road length, x/y and shared edges. */
    public final int planarSrid;

    public final long[] id;
    public final long[] community;
    public final int[] households;
    public final int[] population;
    public final double[] area;
    public final double[] perimeter;

    /** Length of road (road_edge) inside each unit, metres in the planar CRS; 0 where none. */
    public final double[] roadLength;

    public final double[] x;
    public final double[] y;
    public final int[][] nbr;
    public final double[][] shared;
    private final Map<Long, Integer> index;

    /**
     * Unit polygons in EPSG:4326, for locating incidents; null for graphs built without geometry.
     */
    private final org.locationtech.jts.geom.Geometry[] shapes;

    private volatile STRtree locator;

    UnitGraph(
            long[] id,
            long[] community,
            int[] households,
            int[] population,
            double[] area,
            double[] perimeter,
            double[] x,
            double[] y,
            int[][] nbr,
            double[][] shared) {
        this(
                Crs.PLANAR_DEFAULT, // synthetic graphs (tests, benchmarks) are laid out in it
                id,
                community,
                households,
                population,
                area,
                perimeter,
                new double[id.length],
                x,
                y,
                nbr,
                shared,
                null);
    }

    UnitGraph(
            int planarSrid,
            long[] id,
            long[] community,
            int[] households,
            int[] population,
            double[] area,
            double[] perimeter,
            double[] roadLength,
            double[] x,
            double[] y,
            int[][] nbr,
            double[][] shared,
            org.locationtech.jts.geom.Geometry[] shapes) {
        this.planarSrid = planarSrid;
        this.shapes = shapes;
        this.roadLength = roadLength;
        this.id = id;
        this.community = community;
        this.households = households;
        this.population = population;
        this.area = area;
        this.perimeter = perimeter;
        this.x = x;
        this.y = y;
        this.nbr = nbr;
        this.shared = shared;
        this.index = new HashMap<>(id.length * 2);
        for (int i = 0; i < id.length; i++) index.put(id[i], i);
    }

    public int size() {
        return id.length;
    }

    /** Index of a unit id, or -1. */
    public int indexOf(long unitId) {
        Integer i = index.get(unitId);
        return i == null ? -1 : i;
    }

    /**
     * The units of the given communities only, neighbours outside them dropped: a plan of one
     * subdistrict is edited, validated and rebalanced over that subdistrict's units alone.
     */
    public UnitGraph subset(java.util.Set<Long> communities) {
        int n = 0;
        int[] newIndex = new int[id.length];
        for (int i = 0; i < id.length; i++)
            newIndex[i] = communities.contains(community[i]) ? n++ : -1;
        if (n == id.length) return this;
        long[] sid = new long[n], scom = new long[n];
        int[] shh = new int[n], spop = new int[n];
        double[] sarea = new double[n], sper = new double[n], sroad = new double[n];
        double[] sx = new double[n], sy = new double[n];
        int[][] snbr = new int[n][];
        double[][] sshared = new double[n][];
        org.locationtech.jts.geom.Geometry[] sshapes =
                shapes == null ? null : new org.locationtech.jts.geom.Geometry[n];
        for (int i = 0; i < id.length; i++) {
            int j = newIndex[i];
            if (j < 0) continue;
            sid[j] = id[i];
            scom[j] = community[i];
            shh[j] = households[i];
            spop[j] = population[i];
            sarea[j] = area[i];
            sper[j] = perimeter[i];
            sroad[j] = roadLength[i];
            sx[j] = x[i];
            sy[j] = y[i];
            if (sshapes != null) sshapes[j] = shapes[i];
            int kept = 0;
            for (int k : nbr[i]) if (newIndex[k] >= 0) kept++;
            snbr[j] = new int[kept];
            sshared[j] = new double[kept];
            int m = 0;
            for (int k = 0; k < nbr[i].length; k++) {
                if (newIndex[nbr[i][k]] < 0) continue;
                snbr[j][m] = newIndex[nbr[i][k]];
                sshared[j][m++] = shared[i][k];
            }
        }
        return new UnitGraph(
                planarSrid,
                sid,
                scom,
                shh,
                spop,
                sarea,
                sper,
                sroad,
                sx,
                sy,
                snbr,
                sshared,
                sshapes);
    }

    /** The graph for the current base units, from the cache when they have not changed. */
    public static UnitGraph load(DataSource ds, int planarSrid) throws SQLException {
        try (Connection c = ds.getConnection()) {
            String key;
            try (PreparedStatement ps = c.prepareStatement(FINGERPRINT);
                    ResultSet rs = ps.executeQuery()) {
                rs.next();
                key = c.getCatalog() + "/" + planarSrid + "/" + rs.getString(1);
            }
            synchronized (CACHE) {
                UnitGraph g = CACHE.get(key);
                if (g == null) {
                    g = read(c, planarSrid);
                    CACHE.clear();
                    CACHE.put(key, g);
                }
                return g;
            }
        }
    }

    /** Built afresh, bypassing the cache (benchmarks compare builds). */
    public static UnitGraph build(DataSource ds, int planarSrid) throws SQLException {
        try (Connection c = ds.getConnection()) {
            return read(c, planarSrid);
        }
    }

    private static UnitGraph read(Connection c, int srid) throws SQLException {
        List<long[]> rows = new ArrayList<>();
        List<double[]> geo = new ArrayList<>();
        List<int[]> people = new ArrayList<>();
        List<org.locationtech.jts.geom.Geometry> shapes = new ArrayList<>();
        List<org.locationtech.jts.geom.Geometry> planar = new ArrayList<>();
        List<org.locationtech.jts.geom.Geometry> roads = new ArrayList<>();
        WKBReader wkb = new WKBReader();
        try (PreparedStatement ps = c.prepareStatement(UNITS.formatted(srid));
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                try {
                    shapes.add(wkb.read(rs.getBytes(5)));
                    planar.add(wkb.read(rs.getBytes(6)));
                } catch (ParseException e) {
                    throw new SQLException("unreadable geometry of base unit " + rs.getLong(1), e);
                }
                rows.add(new long[] {rs.getLong(1), rs.getLong(2)});
                people.add(new int[] {rs.getInt(3), rs.getInt(4)});
                org.locationtech.jts.geom.Geometry p = planar.get(planar.size() - 1);
                Point inside = p.getInteriorPoint();
                geo.add(new double[] {p.getArea(), p.getLength(), inside.getX(), inside.getY()});
            }
        }
        try (PreparedStatement ps = c.prepareStatement(ROADS.formatted(srid));
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                try {
                    roads.add(wkb.read(rs.getBytes(1)));
                } catch (ParseException e) {
                    throw new SQLException("unreadable road geometry", e);
                }
            }
        }
        int n = rows.size();
        long[] id = new long[n], comm = new long[n];
        int[] hh = new int[n], pop = new int[n];
        double[] area = new double[n], per = new double[n], x = new double[n], y = new double[n];
        for (int i = 0; i < n; i++) {
            id[i] = rows.get(i)[0];
            comm[i] = rows.get(i)[1];
            hh[i] = people.get(i)[0];
            pop[i] = people.get(i)[1];
            double[] g = geo.get(i);
            area[i] = g[0];
            per[i] = g[1];
            x[i] = g[2];
            y[i] = g[3];
        }
        org.locationtech.jts.geom.Geometry[] planarUnits =
                planar.toArray(new org.locationtech.jts.geom.Geometry[0]);
        // the two are independent: on two cores the road lengths come for free
        var roadTask =
                java.util.concurrent.CompletableFuture.supplyAsync(
                        () -> RoadLengths.of(planarUnits, roads));
        SharedEdges edges = SharedEdges.of(planarUnits);
        double[] road = roadTask.join();
        return new UnitGraph(
                srid,
                id,
                comm,
                hh,
                pop,
                area,
                per,
                road,
                x,
                y,
                edges.nbr,
                edges.shared,
                shapes.toArray(new org.locationtech.jts.geom.Geometry[0]));
    }

    /** The lon/lat box of the units' shapes (null: no shapes, or no units). */
    public org.locationtech.jts.geom.Envelope extent() {
        if (shapes == null || shapes.length == 0) return null;
        org.locationtech.jts.geom.Envelope e = new org.locationtech.jts.geom.Envelope();
        for (org.locationtech.jts.geom.Geometry s : shapes)
            e.expandToInclude(s.getEnvelopeInternal());
        return e;
    }

    /**
     * The unit covering a point (lon/lat), or -1. A point on an edge shared by two units goes to
     * the unit with the lower index, so it is counted once.
     */
    public int locate(double lon, double lat) {
        STRtree t = locator;
        if (t == null) {
            synchronized (this) {
                if (locator == null) {
                    STRtree tree = new STRtree();
                    for (int i = 0; i < shapes.length; i++) {
                        tree.insert(
                                shapes[i].getEnvelopeInternal(),
                                new Object[] {i, PreparedGeometryFactory.prepare(shapes[i])});
                    }
                    tree.build();
                    locator = tree;
                }
                t = locator;
            }
        }
        Point p = POINTS.createPoint(new Coordinate(lon, lat));
        int best = -1;
        for (Object o : t.query(new Envelope(lon, lon, lat, lat))) {
            Object[] e = (Object[]) o;
            int i = (Integer) e[0];
            if ((best < 0 || i < best) && ((PreparedGeometry) e[1]).covers(p)) best = i;
        }
        return best;
    }

    public boolean canLocate() {
        return shapes != null;
    }

    /** Shared boundary length of unit u with the units of grid g under an assignment. */
    public double sharedWith(int u, int g, int[] gridOf) {
        double s = 0;
        for (int k = 0; k < nbr[u].length; k++) if (gridOf[nbr[u][k]] == g) s += shared[u][k];
        return s;
    }

    @Override
    public String toString() {
        return "UnitGraph["
                + id.length
                + " units, "
                + Arrays.stream(nbr).mapToInt(a -> a.length).sum() / 2
                + " edges]";
    }
}
