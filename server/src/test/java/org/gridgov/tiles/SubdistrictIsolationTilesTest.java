package org.gridgov.tiles;

import static org.junit.jupiter.api.Assertions.*;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.gridgov.geo.TileScheme;
import org.gridgov.testing.SecondSubdistrict;
import org.gridgov.testing.TestDatabase;
import org.gridgov.testing.TestServer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.locationtech.jts.geom.Geometry;

/**
 * Isolation by subdistrict on vector tiles (issue #20): an incident tile answers chief2 only
 * subdistrict 2's incidents and the demo chief only subdistrict 1's, doperator (district scope)
 * both; the tile cache keeps one subdistrict's tile under its own key, so the tile one built is
 * never answered to the other; anonymous callers get 401, as before.
 */
@Tag("db")
@Tag("second-subdistrict")
class SubdistrictIsolationTilesTest {

    private static final HttpClient CLIENT =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    static SecondSubdistrict.Ids ids;
    static long incident;
    static double lon, lat;

    @BeforeAll
    static void install() throws Exception {
        TestServer.get();
        ids = SecondSubdistrict.install();
        incident = ids.incidentIds().get(0);
        try (Connection c = TestDatabase.get().dataSource().getConnection();
                PreparedStatement ps =
                        c.prepareStatement(
                                "SELECT ST_X(location), ST_Y(location) FROM incident WHERE id = ?")) {
            ps.setLong(1, incident);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                lon = rs.getDouble(1);
                lat = rs.getDouble(2);
            }
        }
    }

    static HttpResponse<byte[]> tile(String user, String path) {
        try {
            HttpRequest.Builder b =
                    HttpRequest.newBuilder(URI.create(TestServer.base() + path))
                            .timeout(Duration.ofSeconds(60));
            if (user != null) b.header("Authorization", "Bearer " + TestServer.token(user));
            return CLIENT.send(b.GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** The feature ids of a raw (zoom ≥ 18) incident tile. */
    static Set<Long> features(byte[] mvt) throws Exception {
        Set<Long> out = new HashSet<>();
        if (mvt.length == 0) return out;
        var layer = OgcTilesTest.decode(mvt).getLayer("incidents");
        if (layer == null) return out;
        for (Geometry g : layer.getGeometries())
            out.add(((Number) ((Map<?, ?>) g.getUserData()).get("id")).longValue());
        return out;
    }

    /** Incidents of the subdistrict (null: all) inside the tile, counted by PostGIS. */
    static long inTile(int z, int x, int y, Long subdistrict) throws Exception {
        try (Connection c = TestDatabase.get().dataSource().getConnection();
                PreparedStatement ps =
                        c.prepareStatement(
                                """
                                SELECT count(*) FROM incident
                                WHERE ST_Intersects(location, ST_Transform(ST_TileEnvelope(?, ?, ?), 4326))
                                  AND (?::bigint IS NULL OR subdistrict_id = ?)""")) {
            ps.setInt(1, z);
            ps.setInt(2, x);
            ps.setInt(3, y);
            ps.setObject(4, subdistrict, java.sql.Types.BIGINT);
            ps.setObject(5, subdistrict, java.sql.Types.BIGINT);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    @Test
    void rawIncidentTileAndItsCache() throws Exception {
        int z = 18, x = TileScheme.x(z, lon), y = TileScheme.y(z, lat);
        String path = "/tiles/incidents/" + z + "/" + x + "/" + y + ".mvt";
        HttpResponse<byte[]> mine = tile(SecondSubdistrict.CHIEF, path);
        assertEquals(200, mine.statusCode());
        assertTrue(features(mine.body()).contains(incident), "chief2 sees its incident");
        // the tile chief2 built is cached under subdistrict 2's key: chief gets one of its own
        HttpResponse<byte[]> other = tile("chief", path);
        assertEquals(200, other.statusCode());
        assertEquals("MISS", other.headers().firstValue("X-Cache").orElse(""));
        assertFalse(features(other.body()).contains(incident), "chief sees subdistrict 2's");
        HttpResponse<byte[]> again = tile("chief", path);
        assertEquals("HIT", again.headers().firstValue("X-Cache").orElse(""));
        assertFalse(features(again.body()).contains(incident));
        assertTrue(features(tile(SecondSubdistrict.CHIEF, path).body()).contains(incident));
        assertTrue(features(tile("doperator", path).body()).contains(incident), "doperator");
        assertEquals(401, tile(null, path).statusCode(), "anonymous");
        // the same tile under /ogc (OGC API - Tiles: row = y, column = x)
        String ogc = "/ogc/collections/incidents/tiles/WebMercatorQuad/" + z + "/" + y + "/" + x;
        assertFalse(features(tile("chief", ogc).body()).contains(incident));
        assertTrue(features(tile(SecondSubdistrict.CHIEF, ogc).body()).contains(incident));
        // chief2 may not ask for subdistrict 1's tiles; a district caller may narrow to one
        assertEquals(
                403,
                tile(SecondSubdistrict.CHIEF, path + "?subdistrict=" + ids.firstSubdistrictId())
                        .statusCode());
        assertFalse(
                features(
                                tile("doperator", path + "?subdistrict=" + ids.firstSubdistrictId())
                                        .body())
                        .contains(incident));
    }

    @Test
    void aggregatedTilesCountEachSubdistrictsOwn() throws Exception {
        // zoom 13: cells counted from the in-memory points, each subdistrict's own
        int z = 13, x = TileScheme.x(z, lon), y = TileScheme.y(z, lat);
        String path = "/tiles/incidents/" + z + "/" + x + "/" + y + ".mvt";
        long second = inTile(z, x, y, ids.subdistrictId());
        long first = inTile(z, x, y, ids.firstSubdistrictId());
        assertTrue(second >= SecondSubdistrict.INCIDENTS - 1, "fixture incidents in the tile");
        assertEquals(second, OgcTilesTest.countSum(tile(SecondSubdistrict.CHIEF, path).body()));
        assertEquals(first, OgcTilesTest.countSum(tile("chief", path).body()));
        long all = OgcTilesTest.countSum(tile("doperator", path).body());
        assertTrue(all >= first + second, all + " < " + first + " + " + second);
    }
}
