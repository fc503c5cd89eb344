package org.gridgov.rebalance;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The base units as a planar graph: per unit its community, households, area, perimeter and
 * centroid in the planar CRS, and its neighbours by shared edge with the length they share.
 * Units are static between imports, so the graph is built once (PostGIS does the geometry) and
 * cached until the base_unit table changes.
 */
public final class UnitGraph {

    private static final String UNITS = """
            SELECT id, community_id, households, population,
                   ST_Area(p), ST_Perimeter(p), ST_X(ST_PointOnSurface(p)), ST_Y(ST_PointOnSurface(p))
            FROM (SELECT id, community_id, households, population, ST_Transform(geom, %d) AS p FROM base_unit) u
            ORDER BY id""";

    // Two units are neighbours when their boundaries share a line, not just a point.
    private static final String EDGES = """
            SELECT a.id, b.id, ST_Length(ST_Transform(ST_Intersection(a.geom, b.geom), %d))
            FROM base_unit a JOIN base_unit b ON a.id < b.id AND a.geom && b.geom
            WHERE ST_Relate(a.geom, b.geom, 'F***1****')""";

    private static final String FINGERPRINT = "SELECT count(*) || ':' || coalesce(max(id), 0) || ':' || coalesce(sum(households), 0) FROM base_unit";

    private static final Map<String, UnitGraph> CACHE = new HashMap<>();

    public final long[] id;
    public final long[] community;
    public final int[] households;
    public final int[] population;
    public final double[] area;
    public final double[] perimeter;
    public final double[] x;
    public final double[] y;
    public final int[][] nbr;
    public final double[][] shared;
    private final Map<Long, Integer> index;

    UnitGraph(long[] id, long[] community, int[] households, int[] population, double[] area, double[] perimeter,
              double[] x, double[] y, int[][] nbr, double[][] shared) {
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

    /** The graph for the current base units, from the cache when they have not changed. */
    public static UnitGraph load(DataSource ds, int planarSrid) throws SQLException {
        try (Connection c = ds.getConnection()) {
            String key;
            try (PreparedStatement ps = c.prepareStatement(FINGERPRINT); ResultSet rs = ps.executeQuery()) {
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

    private static UnitGraph read(Connection c, int srid) throws SQLException {
        List<long[]> rows = new ArrayList<>();
        List<double[]> geo = new ArrayList<>();
        List<int[]> people = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(UNITS.formatted(srid)); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                rows.add(new long[]{rs.getLong(1), rs.getLong(2)});
                people.add(new int[]{rs.getInt(3), rs.getInt(4)});
                geo.add(new double[]{rs.getDouble(5), rs.getDouble(6), rs.getDouble(7), rs.getDouble(8)});
            }
        }
        int n = rows.size();
        long[] id = new long[n], comm = new long[n];
        int[] hh = new int[n], pop = new int[n];
        double[] area = new double[n], per = new double[n], x = new double[n], y = new double[n];
        Map<Long, Integer> idx = new HashMap<>();
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
            idx.put(id[i], i);
        }
        List<List<int[]>> adj = new ArrayList<>(n);
        List<List<Double>> len = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            adj.add(new ArrayList<>());
            len.add(new ArrayList<>());
        }
        try (PreparedStatement ps = c.prepareStatement(EDGES.formatted(srid)); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                int a = idx.get(rs.getLong(1)), b = idx.get(rs.getLong(2));
                double l = rs.getDouble(3);
                adj.get(a).add(new int[]{b});
                len.get(a).add(l);
                adj.get(b).add(new int[]{a});
                len.get(b).add(l);
            }
        }
        int[][] nbr = new int[n][];
        double[][] shared = new double[n][];
        for (int i = 0; i < n; i++) {
            nbr[i] = adj.get(i).stream().mapToInt(e -> e[0]).toArray();
            shared[i] = len.get(i).stream().mapToDouble(Double::doubleValue).toArray();
        }
        return new UnitGraph(id, comm, hh, pop, area, per, x, y, nbr, shared);
    }

    /** Shared boundary length of unit u with the units of grid g under an assignment. */
    public double sharedWith(int u, int g, int[] gridOf) {
        double s = 0;
        for (int k = 0; k < nbr[u].length; k++) if (gridOf[nbr[u][k]] == g) s += shared[u][k];
        return s;
    }

    @Override
    public String toString() {
        return "UnitGraph[" + id.length + " units, " + Arrays.stream(nbr).mapToInt(a -> a.length).sum() / 2 + " edges]";
    }
}
