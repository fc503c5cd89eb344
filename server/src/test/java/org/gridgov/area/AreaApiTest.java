package org.gridgov.area;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import java.sql.ResultSet;
import org.gridgov.testing.PostgisExtension;
import org.gridgov.testing.TestDatabase;
import org.gridgov.testing.TestServer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Communities and grids as GeoJSON, with bbox filters, against counts from SQL. */
@Tag("db")
@ExtendWith(PostgisExtension.class)
class AreaApiTest {

    static long sql(String query) throws Exception {
        return TestDatabase.queryLong(query);
    }

    @Test
    void communitiesAreGeoJsonFeatures() throws Exception {
        var a = TestServer.get("/api/v1/communities");
        assertEquals(200, a.status());
        assertTrue(a.contentType().startsWith("application/geo+json"));
        JsonNode features = a.json().get("features");
        assertEquals(sql("SELECT count(*) FROM community"), features.size());
        JsonNode f = features.get(0);
        assertEquals("Feature", f.get("type").asText());
        assertTrue(f.at("/geometry/type").asText().endsWith("Polygon"));
        assertEquals(12, f.at("/properties/code").asText().length());
        assertTrue(f.at("/properties/households").asLong() >= 0);
        long households = 0;
        for (JsonNode x : features) households += x.at("/properties/households").asLong();
        assertEquals(sql("SELECT sum(households) FROM base_unit"), households);
    }

    @Test
    void gridsOfTheActivePlanCarryIdAndCode() throws Exception {
        var a = TestServer.get("/api/v1/grids?plan=active");
        assertEquals(200, a.status(), a.body());
        JsonNode features = a.json().get("features");
        long planId = sql("SELECT plan_in_effect()");
        assertEquals(planId, a.json().get("planId").asLong());
        assertEquals(sql("SELECT count(*) FROM grid WHERE plan_id = " + planId), features.size());
        for (JsonNode f : features) {
            assertEquals(f.get("id").asLong(), f.at("/properties/id").asLong());
            assertTrue(f.at("/properties/code").asText().matches("[0-9]{15}"));
            assertTrue(
                    f.at("/properties/code")
                            .asText()
                            .startsWith(
                                    String.valueOf(
                                            sql(
                                                    "SELECT code FROM community WHERE id = "
                                                            + f.at("/properties/communityId")
                                                                    .asLong()))));
        }
        assertEquals(
                features.size(),
                TestServer.getAs("planner", "/api/v1/grids?plan=" + planId)
                        .json()
                        .get("features")
                        .size());
        assertEquals(
                features.size(), TestServer.get("/api/v1/grids").json().get("features").size());
    }

    @Test
    void bboxFiltersToWhatIntersects() throws Exception {
        double[] e = new double[4];
        try (var c = TestDatabase.get().connection();
                var st = c.createStatement();
                ResultSet rs =
                        st.executeQuery(
                                "SELECT ST_X(p) - 0.001, ST_Y(p) - 0.001, ST_X(p) + 0.001, ST_Y(p) + 0.001 FROM (SELECT ST_PointOnSurface(geom) p FROM community ORDER BY id LIMIT 1) x")) {
            rs.next();
            for (int i = 0; i < 4; i++) e[i] = rs.getDouble(i + 1);
        }
        String bbox = e[0] + "," + e[1] + "," + e[2] + "," + e[3];
        long expected =
                sql(
                        "SELECT count(*) FROM grid g WHERE g.plan_id = plan_in_effect() "
                                + "AND g.geom && ST_MakeEnvelope("
                                + bbox
                                + ", 4326)");
        var a = TestServer.get("/api/v1/grids?bbox=" + bbox);
        assertEquals(200, a.status());
        assertEquals(expected, a.json().get("features").size());
        assertTrue(
                expected < sql("SELECT count(*) FROM grid g WHERE g.plan_id = plan_in_effect()"));
        var none = TestServer.get("/api/v1/communities?bbox=0,0,1,1");
        assertEquals(0, none.json().get("features").size());
    }

    @Test
    void healthReportsTheDatabase() {
        var a = TestServer.get("/health");
        assertEquals(200, a.status());
        assertEquals("UP", a.json().get("status").asText());
        assertEquals("UP", a.json().at("/checks/db").asText());
    }
}
