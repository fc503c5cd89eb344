package org.gridgov.patrol;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import javax.sql.DataSource;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Envelope;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.GeometryFactory;
import org.locationtech.jts.index.strtree.STRtree;
import org.locationtech.jts.io.ParseException;
import org.locationtech.jts.io.WKBReader;
import org.locationtech.jts.io.geojson.GeoJsonWriter;

/**
 * The road network in memory, for nearest-responder ranking. pgRouting builds its graph from SQL on
 * every call: over the demo's 18,000 edges that alone costs about 100 ms a request, while one
 * Dijkstra here, from the incident over the reversed graph, gives every candidate's travel time in
 * a few milliseconds. PostGIS/pgRouting stay the truth: the graph is read from road_edge at start
 * (roads change only by import), and a test checks the costs against pgr_dijkstraCost.
 */
public final class RoadGraph {

    /** Travel times (seconds) from every vertex to one target, with the way there. */
    public final class Paths {
        private final double[] seconds;
        private final int[]
                viaEdge; // edge index taken from a vertex towards the target, -1 at the target
        private final int[] next; // the vertex that edge leads to

        private Paths(double[] seconds, int[] viaEdge, int[] next) {
            this.seconds = seconds;
            this.viaEdge = viaEdge;
            this.next = next;
        }

        /** Seconds from the vertex to the target, or +∞ when it cannot get there. */
        public double seconds(int vertex) {
            return seconds[vertex];
        }

        /**
         * The route from the vertex to the target as a GeoJSON LineString, or null at the target.
         */
        public String route(int vertex) {
            if (viaEdge[vertex] < 0 || Double.isInfinite(seconds[vertex])) return null;
            List<Coordinate> line = new ArrayList<>();
            for (int v = vertex; viaEdge[v] >= 0; v = next[v]) {
                Coordinate[] cs = shape[viaEdge[v]].getCoordinates();
                boolean forward = source[viaEdge[v]] == v;
                for (int k = 0; k < cs.length; k++) {
                    Coordinate c = cs[forward ? k : cs.length - 1 - k];
                    if (line.isEmpty() || !line.get(line.size() - 1).equals2D(c)) line.add(c);
                }
            }
            return GEOJSON.write(GF.createLineString(line.toArray(new Coordinate[0])));
        }
    }

    private static final GeometryFactory GF = new GeometryFactory();
    private static final GeoJsonWriter GEOJSON = new GeoJsonWriter(7);

    private final double[] lon, lat;
    private final int[] source, target;
    private final double[] cost, reverseCost;
    private final Geometry[] shape;
    private final int[] outStart, outEdge; // reversed adjacency (CSR): arcs arriving at a vertex
    private final STRtree vertices = new STRtree();

    static {
        GEOJSON.setEncodeCRS(false);
    }

    private RoadGraph(
            double[] lon,
            double[] lat,
            int[] source,
            int[] target,
            double[] cost,
            double[] reverseCost,
            Geometry[] shape) {
        this.lon = lon;
        this.lat = lat;
        this.source = source;
        this.target = target;
        this.cost = cost;
        this.reverseCost = reverseCost;
        this.shape = shape;
        int n = lon.length;
        // Reversed graph: an arc u→v of the roads (cost c) is walked v→u from the target.
        int[] degree = new int[n + 1];
        for (int e = 0; e < source.length; e++) {
            if (cost[e] >= 0) degree[target[e]]++;
            if (reverseCost[e] >= 0) degree[source[e]]++;
        }
        outStart = new int[n + 1];
        for (int v = 0; v < n; v++) outStart[v + 1] = outStart[v] + degree[v];
        outEdge = new int[outStart[n]];
        int[] fill = Arrays.copyOf(outStart, n);
        for (int e = 0; e < source.length; e++) {
            if (cost[e] >= 0) outEdge[fill[target[e]]++] = e;
            if (reverseCost[e] >= 0) outEdge[fill[source[e]]++] = e;
        }
        for (int v = 0; v < n; v++)
            vertices.insert(new Envelope(lon[v], lon[v], lat[v], lat[v]), v);
        vertices.build();
    }

    public static RoadGraph load(DataSource ds) throws SQLException {
        Map<Long, Integer> index = new HashMap<>();
        List<double[]> xy = new ArrayList<>();
        WKBReader wkb = new WKBReader();
        try (Connection c = ds.getConnection();
                Statement st = c.createStatement()) {
            try (ResultSet rs =
                    st.executeQuery(
                            "SELECT id, ST_X(geom), ST_Y(geom) FROM road_vertex ORDER BY id")) {
                while (rs.next()) {
                    index.put(rs.getLong(1), xy.size());
                    xy.add(new double[] {rs.getDouble(2), rs.getDouble(3)});
                }
            }
            List<Object[]> edges = new ArrayList<>();
            try (ResultSet rs =
                    st.executeQuery(
                            "SELECT source, target, cost, reverse_cost, ST_AsBinary(geom) FROM road_edge ORDER BY id")) {
                while (rs.next()) {
                    edges.add(
                            new Object[] {
                                index.get(rs.getLong(1)),
                                index.get(rs.getLong(2)),
                                rs.getDouble(3),
                                rs.getDouble(4),
                                wkb.read(rs.getBytes(5))
                            });
                }
            }
            double[] lon = new double[xy.size()], lat = new double[xy.size()];
            for (int v = 0; v < xy.size(); v++) {
                lon[v] = xy.get(v)[0];
                lat[v] = xy.get(v)[1];
            }
            int m = edges.size();
            int[] s = new int[m], t = new int[m];
            double[] cost = new double[m], rev = new double[m];
            Geometry[] shape = new Geometry[m];
            for (int e = 0; e < m; e++) {
                Object[] r = edges.get(e);
                s[e] = (Integer) r[0];
                t[e] = (Integer) r[1];
                cost[e] = (Double) r[2];
                rev[e] = (Double) r[3];
                shape[e] = (Geometry) r[4];
            }
            return new RoadGraph(lon, lat, s, t, cost, rev, shape);
        } catch (ParseException e) {
            throw new SQLException("unreadable road geometry", e);
        }
    }

    public int size() {
        return lon.length;
    }

    /** The vertex nearest to a point (by planar distance in degrees scaled to the latitude). */
    public int nearest(double x, double y) {
        double k = Math.cos(Math.toRadians(y));
        Object found =
                vertices.nearestNeighbour(
                        new Envelope(x, x, y, y),
                        -1,
                        (a, b) -> {
                            int v =
                                    (Integer)
                                            (a.getItem() instanceof Integer i && i >= 0
                                                    ? a.getItem()
                                                    : b.getItem());
                            double dx = (lon[v] - x) * k, dy = lat[v] - y;
                            return Math.sqrt(dx * dx + dy * dy);
                        });
        return (Integer) found;
    }

    /** Metres between a point and a vertex (equirectangular: exact enough across a street). */
    public double metres(double x, double y, int vertex) {
        double k = Math.cos(Math.toRadians(y));
        double dx = (lon[vertex] - x) * k * 111_320, dy = (lat[vertex] - y) * 110_574;
        return Math.sqrt(dx * dx + dy * dy);
    }

    /** Dijkstra from the target over the reversed roads: every vertex's travel time to it. */
    public Paths towards(int targetVertex) {
        int n = lon.length;
        double[] dist = new double[n];
        int[] via = new int[n], next = new int[n];
        Arrays.fill(dist, Double.POSITIVE_INFINITY);
        Arrays.fill(via, -1);
        dist[targetVertex] = 0;
        PriorityQueue<double[]> queue = new PriorityQueue<>((a, b) -> Double.compare(a[0], b[0]));
        queue.add(new double[] {0, targetVertex});
        while (!queue.isEmpty()) {
            double[] top = queue.poll();
            int u = (int) top[1];
            if (top[0] > dist[u]) continue;
            for (int k = outStart[u]; k < outStart[u + 1]; k++) {
                int e = outEdge[k];
                // Walking the arc backwards: the road goes from v to u.
                int v;
                double c;
                if (target[e] == u && cost[e] >= 0) {
                    v = source[e];
                    c = cost[e];
                } else {
                    v = target[e];
                    c = reverseCost[e];
                }
                double d = dist[u] + c;
                if (d < dist[v]) {
                    dist[v] = d;
                    via[v] = e;
                    next[v] = u;
                    queue.add(new double[] {d, v});
                }
            }
        }
        return new Paths(dist, via, next);
    }
}
