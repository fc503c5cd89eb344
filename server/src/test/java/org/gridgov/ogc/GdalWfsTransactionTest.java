package org.gridgov.ogc;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.gridgov.testing.TestDatabase;
import org.gridgov.testing.TestServer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * GDAL's WFS driver (Debian's 3.6) in update mode against a draft, with a planner's Basic
 * credentials: it finds Transaction in the capabilities, posts where they say (keeping plan=N) and
 * reads the TransactionResponse. A delete through {@code ogrinfo -sql "DELETE FROM …"} and a rename
 * through the Python bindings ({@code OGRLayer.SetFeature}, which sends every field and the
 * geometry as GDAL read them).
 */
@Tag("db")
class GdalWfsTransactionTest {

    record Run(int exit, String out) {}

    static Run run(Path dir, String... cmd) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.directory(dir.toFile());
        pb.environment().put("GDAL_HTTP_TIMEOUT", "60");
        pb.environment().put("GDAL_HTTP_USERPWD", "planner:demo");
        pb.environment().put("GDAL_HTTP_AUTH", "BASIC");
        pb.environment().put("CPL_DEBUG", "OFF");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(2, TimeUnit.MINUTES), "client finished");
        return new Run(p.exitValue(), out);
    }

    static long emptyGrid(long plan) throws Exception {
        long community =
                TestDatabase.queryLong(
                        "SELECT min(community_id) FROM grid WHERE plan_id = " + plan);
        String body =
                "{\"expectedVersion\":"
                        + WfsTransactionTest.version(plan)
                        + ",\"op\":\"create\",\"communityId\":"
                        + community
                        + "}";
        var a = TestServer.postAs("planner", "/api/v1/plans/" + plan + "/edits", body);
        assertEquals(200, a.status(), a.body());
        return TestDatabase.queryLong("SELECT max(id) FROM grid WHERE plan_id = " + plan);
    }

    @Test
    void ogrinfoDeletesAGridOfADraft(@TempDir Path dir) throws Exception {
        long plan = WfsTransactionTest.draft();
        long grid = emptyGrid(plan);
        String url = "WFS:" + TestServer.base() + "/ows?plan=" + plan + "&VERSION=1.1.0";
        Run r =
                run(
                        dir,
                        "ogrinfo",
                        url,
                        "-sql",
                        "DELETE FROM gridgov:grids WHERE gml_id = 'grids." + grid + "'");
        assertEquals(0, r.exit(), r.out());
        assertFalse(r.out().contains("ERROR"), r.out());
        assertEquals(
                0, TestDatabase.queryLong("SELECT count(*) FROM grid WHERE id = " + grid), r.out());
        // GDAL's delete is one step of the plan's history, undone through the REST API
        var undo =
                TestServer.postAs(
                        "planner",
                        "/api/v1/plans/" + plan + "/undo",
                        "{\"expectedVersion\":" + WfsTransactionTest.version(plan) + "}");
        assertEquals(200, undo.status(), undo.body());
        assertEquals(1, TestDatabase.queryLong("SELECT count(*) FROM grid WHERE id = " + grid));
    }

    @Test
    void ogr2ogrAppendsAGridToAnEmptyDraft(@TempDir Path dir) throws Exception {
        var a =
                TestServer.postAs(
                        "planner", "/api/v1/plans", "{\"from\":\"empty\",\"name\":\"gdal\"}");
        assertEquals(201, a.status(), a.body());
        long plan = a.json().get("id").asLong();
        long model =
                TestDatabase.queryLong(
                        "SELECT min(g.id) FROM grid g JOIN grid_plan p ON p.id = g.plan_id"
                                + " WHERE p.status = 'ACTIVE' AND p.effective_to IS NULL");
        long units =
                TestDatabase.queryLong("SELECT count(*) FROM grid_unit WHERE grid_id = " + model);
        String geometry =
                WfsTransactionTest.text(
                        "SELECT ST_AsGeoJSON(geom, 9) FROM grid WHERE id = " + model);
        Path in = dir.resolve("new.geojson");
        Files.writeString(
                in,
                "{\"type\":\"FeatureCollection\",\"features\":[{\"type\":\"Feature\","
                        + "\"properties\":{\"name\":\"GDAL新网格\"},\"geometry\":"
                        + geometry
                        + "}]}");
        String url = "WFS:" + TestServer.base() + "/ows?plan=" + plan + "&VERSION=1.1.0";
        Run r =
                run(
                        dir,
                        "ogr2ogr",
                        "-update",
                        "-append",
                        url,
                        in.toString(),
                        "-nln",
                        "gridgov:grids");
        assertEquals(0, r.exit(), r.out());
        assertFalse(r.out().contains("ERROR"), r.out());
        assertEquals(
                "GDAL新网格",
                WfsTransactionTest.text("SELECT name FROM grid WHERE plan_id = " + plan),
                r.out());
        assertEquals(
                units,
                TestDatabase.queryLong("SELECT count(*) FROM grid_unit WHERE plan_id = " + plan));
    }

    @Test
    void gdalRenamesAGridThroughSetFeature(@TempDir Path dir) throws Exception {
        long plan = WfsTransactionTest.draft();
        long grid = WfsTransactionTest.neighbours(plan)[1];
        Path script = dir.resolve("rename.py");
        Files.writeString(
                script,
                """
                import sys
                from osgeo import ogr, gdal
                gdal.UseExceptions()
                ds = gdal.OpenEx(sys.argv[1], gdal.OF_VECTOR | gdal.OF_UPDATE)
                lyr = ds.GetLayerByName('gridgov:grids')
                lyr.SetAttributeFilter("gml_id = '%s'" % sys.argv[2])
                f = lyr.GetNextFeature()
                f.SetField('name', sys.argv[3])
                err = lyr.SetFeature(f)
                print('renamed' if err == 0 else 'not renamed: ' + gdal.GetLastErrorMsg())
                """);
        String url = "WFS:" + TestServer.base() + "/ows?plan=" + plan + "&VERSION=1.1.0";
        // Debian's interpreter: python3-gdal is installed for it, not for other pythons on PATH
        String python = Files.exists(Path.of("/usr/bin/python3")) ? "/usr/bin/python3" : "python3";
        Run r = run(dir, python, script.toString(), url, "grids." + grid, "GDAL改名");
        assertEquals(0, r.exit(), r.out());
        assertTrue(r.out().contains("renamed"), r.out());
        assertEquals("GDAL改名", WfsTransactionTest.name(grid), r.out());
    }
}
