package org.gridgov.analytics;

import static org.junit.jupiter.api.Assertions.*;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.gridgov.testing.DemoFixture;
import org.gridgov.testing.PostgisExtension;
import org.gridgov.testing.TestDatabase;
import org.gridgov.testing.TestServer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Bins as vector tiles, read back with GDAL's MVT driver and checked against the incident table.
 */
@Tag("db")
@ExtendWith(PostgisExtension.class)
class BinTilesTest {

    /**
     * The tile's window below, in SQL: other tests store cases reported years earlier (e.g.
     * CaseHandlingTest's, from 2016), which the tile rightly leaves out.
     */
    private static final String IN_WINDOW =
            " AND reported_at >= '2020-01-01T00:00:00+08:00' AND reported_at < '2030-01-01T00:00:00+08:00'";

    @Test
    void aTileCarriesTheCountsOfItsCells() throws Exception {
        var p = DemoFixture.probe();
        int z = 14;
        int x = (int) Math.floor((p.lon() + 180) / 360 * (1 << z));
        double latRad = Math.toRadians(p.lat());
        int y =
                (int)
                        Math.floor(
                                (1 - Math.log(Math.tan(latRad) + 1 / Math.cos(latRad)) / Math.PI)
                                        / 2
                                        * (1 << z));
        String window = "from=2020-01-01T00:00:00%2B08:00&to=2030-01-01T00:00:00%2B08:00";
        HttpResponse<byte[]> r =
                HttpClient.newBuilder()
                        .version(HttpClient.Version.HTTP_1_1)
                        .connectTimeout(java.time.Duration.ofSeconds(10))
                        .build()
                        .send(
                                HttpRequest.newBuilder(
                                                URI.create(
                                                        TestServer.base()
                                                                + "/tiles/bins/"
                                                                + z
                                                                + "/"
                                                                + x
                                                                + "/"
                                                                + y
                                                                + ".mvt?size=200&"
                                                                + window))
                                        // staff: full resolution, every count (a public tile leaves
                                        // out counts of 1 and 2); district-wide, so the district's
                                        // own cases count too (a subdistrict's staff see only
                                        // theirs)
                                        .header(
                                                "Authorization",
                                                "Bearer " + TestServer.token("doperator"))
                                        .build(),
                                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, r.statusCode());
        assertEquals(
                "application/vnd.mapbox-vector-tile",
                r.headers().firstValue("Content-Type").orElse(""));
        Path file = Files.createTempFile("bins", ".mvt");
        Files.write(file, r.body());
        Process ogr =
                new ProcessBuilder(
                                "ogrinfo",
                                "-ro",
                                "-al",
                                "-oo",
                                "X=" + x,
                                "-oo",
                                "Y=" + y,
                                "-oo",
                                "Z=" + z,
                                file.toString())
                        .redirectErrorStream(true)
                        .start();
        long sum = 0, features = 0;
        Matcher m;
        Pattern count = Pattern.compile("^\\s+count \\(Integer\\) = (\\d+)");
        try (BufferedReader in = new BufferedReader(new InputStreamReader(ogr.getInputStream()))) {
            for (String line; (line = in.readLine()) != null; ) {
                if ((m = count.matcher(line)).find()) {
                    sum += Long.parseLong(m.group(1));
                    features++;
                }
            }
        }
        assertEquals(0, ogr.waitFor());
        assertTrue(features > 0, "the tile has cells");
        double west = BinTiles.lon(x, z),
                east = BinTiles.lon(x + 1, z),
                north = BinTiles.lat(y, z),
                south = BinTiles.lat(y + 1, z);
        long inside =
                TestDatabase.queryLong(
                        "SELECT count(*) FROM incident WHERE location && ST_MakeEnvelope(%s, %s, %s, %s, 4326)"
                                        .formatted(west, south, east, north)
                                + IN_WINDOW);
        double pad = 0.006; // a 200 m cell plus the tile buffer, in degrees
        long nearby =
                TestDatabase.queryLong(
                        "SELECT count(*) FROM incident WHERE location && ST_MakeEnvelope(%s, %s, %s, %s, 4326)"
                                        .formatted(west - pad, south - pad, east + pad, north + pad)
                                + IN_WINDOW);
        assertTrue(
                sum >= inside && sum <= nearby,
                "cells count every incident of the tile and no far one: "
                        + inside
                        + " ≤ "
                        + sum
                        + " ≤ "
                        + nearby);
        assertEquals(400, TestServer.get("/tiles/bins/14/99999/1.mvt").status());
        assertEquals(
                400,
                TestServer.get("/tiles/bins/" + z + "/" + x + "/" + y + ".mvt?size=1").status());
    }
}
