package org.gridgov.grid;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.gridgov.testing.TestServer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Export of a plan in every format, read back with ogrinfo (GDAL) where it is binary. */
@Tag("db")
class PlanExportTest {

    /** As a planner: exporting runs ogr2ogr, which is theirs (docs/access.md). */
    static byte[] download(String path) throws Exception {
        HttpResponse<byte[]> r =
                HttpClient.newBuilder()
                        .version(HttpClient.Version.HTTP_1_1)
                        .connectTimeout(java.time.Duration.ofSeconds(10))
                        .build()
                        .send(
                                HttpRequest.newBuilder(URI.create(TestServer.base() + path))
                                        .timeout(java.time.Duration.ofSeconds(60))
                                        .header(
                                                "Authorization",
                                                "Bearer " + TestServer.token("planner"))
                                        .build(),
                                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, r.statusCode(), new String(r.body()));
        return r.body();
    }

    static String ogrinfo(Path file) throws Exception {
        Process p =
                new ProcessBuilder("ogrinfo", "-so", "-al", file.toString())
                        .redirectErrorStream(true)
                        .start();
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), out);
        return out;
    }

    @Test
    void exportsGeoJsonGeoPackageAndShapefile() throws Exception {
        long plan = PlanningApiTest.activePlan();
        int grids =
                TestServer.getAs("planner", "/api/v1/grids?plan=" + plan)
                        .json()
                        .get("features")
                        .size();
        JsonNode fc = TestServer.JSON.readTree(download("/api/v1/plans/" + plan + "/export"));
        assertEquals(grids, fc.get("features").size());
        assertTrue(
                fc.get("features")
                        .get(0)
                        .get("properties")
                        .get("code")
                        .asText()
                        .matches("[0-9]{15}"));

        Path dir = Files.createTempDirectory("export-test");
        Path gpkg = dir.resolve("p.gpkg");
        Files.write(gpkg, download("/api/v1/plans/" + plan + "/export?format=gpkg&crs=4549"));
        String info = ogrinfo(gpkg);
        assertTrue(info.contains("Feature Count: " + grids), info);
        assertTrue(
                info.contains("4549") || info.contains("CM 120E"),
                "reprojected to EPSG:4549: " + info);

        Set<String> names = new HashSet<>();
        try (ZipInputStream zip =
                new ZipInputStream(
                        new ByteArrayInputStream(
                                download(
                                        "/api/v1/plans/"
                                                + plan
                                                + "/export?format=shp&crs=4490")))) {
            ZipEntry e;
            while ((e = zip.getNextEntry()) != null) {
                names.add(e.getName());
                Files.write(dir.resolve(e.getName()), zip.readAllBytes());
            }
        }
        assertTrue(
                names.containsAll(Set.of("grids.shp", "grids.shx", "grids.dbf", "grids.prj")),
                names.toString());
        String shp = ogrinfo(dir.resolve("grids.shp"));
        assertTrue(shp.contains("Feature Count: " + grids), shp);
        assertTrue(shp.contains("CGCS2000") || shp.contains("China Geodetic"), "CGCS2000: " + shp);

        assertEquals(
                400,
                TestServer.getAs("planner", "/api/v1/plans/" + plan + "/export?format=kml")
                        .status());
        assertEquals(
                400,
                TestServer.getAs("planner", "/api/v1/plans/" + plan + "/export?crs=2000").status());
        assertEquals(404, TestServer.getAs("planner", "/api/v1/plans/999999/export").status());
    }
}
