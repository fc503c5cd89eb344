package org.gridgov.patrol;

import static org.junit.jupiter.api.Assertions.*;

import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.gridgov.testing.PostgisExtension;
import org.gridgov.testing.TestDatabase;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The in-memory road graph gives pgRouting's own travel times, and routes that join up. */
@Tag("db")
@ExtendWith(PostgisExtension.class)
class RoadGraphTest {

    @Test
    void travelTimesEqualPgrDijkstraCost() throws Exception {
        var ds = TestDatabase.get().dataSource();
        RoadGraph graph = RoadGraph.load(ds);
        List<double[]> vertices = new ArrayList<>();
        Map<Long, Double> expected = new HashMap<>();
        long targetId;
        try (var c = ds.getConnection();
                var st = c.createStatement()) {
            try (ResultSet rs =
                    st.executeQuery("SELECT id FROM road_vertex ORDER BY md5(id::text) LIMIT 1")) {
                rs.next();
                targetId = rs.getLong(1);
            }
            try (ResultSet rs =
                    st.executeQuery(
                            """
                    SELECT v.id, ST_X(v.geom), ST_Y(v.geom), d.agg_cost
                    FROM pgr_dijkstraCost('SELECT id, source, target, cost, reverse_cost FROM road_edge',
                         ARRAY(SELECT id FROM road_vertex ORDER BY md5(id::text) OFFSET 1 LIMIT 40), %d, directed => true) d
                    JOIN road_vertex v ON v.id = d.start_vid"""
                                    .formatted(targetId))) {
                while (rs.next()) {
                    vertices.add(new double[] {rs.getLong(1), rs.getDouble(2), rs.getDouble(3)});
                    expected.put(rs.getLong(1), rs.getDouble(4));
                }
            }
        }
        assertEquals(40, vertices.size(), "one connected network: every vertex reaches the target");
        double[] target = coordinates(targetId);
        RoadGraph.Paths paths = graph.towards(graph.nearest(target[0], target[1]));
        for (double[] v : vertices) {
            int vertex = graph.nearest(v[1], v[2]);
            assertEquals(
                    0,
                    graph.metres(v[1], v[2], vertex),
                    1e-6,
                    "a vertex is its own nearest vertex");
            assertEquals(
                    expected.get((long) v[0]),
                    paths.seconds(vertex),
                    1e-6,
                    "vertex " + (long) v[0]);
            String route = paths.route(vertex);
            assertNotNull(route);
            assertTrue(route.startsWith("{\"type\":\"LineString\""), route);
            assertTrue(
                    route.contains(String.valueOf(v[1]).substring(0, 8)),
                    "the route starts where the responder is");
        }
    }

    static double[] coordinates(long vertexId) throws Exception {
        try (var c = TestDatabase.get().connection();
                var st = c.createStatement();
                ResultSet rs =
                        st.executeQuery(
                                "SELECT ST_X(geom), ST_Y(geom) FROM road_vertex WHERE id = "
                                        + vertexId)) {
            rs.next();
            return new double[] {rs.getDouble(1), rs.getDouble(2)};
        }
    }
}
