package org.gridgov.ogc;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.gridgov.testing.TestServer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real clients from Debian's gdal-bin against the gateway: WFS, WMS and OGC API Features. */
@Tag("db")
class GdalClientsTest {

    record Run(int exit, String out) {}

    static Run run(String... cmd) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("GDAL_HTTP_TIMEOUT", "60");
        pb.environment().put("CPL_DEBUG", "OFF");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(2, TimeUnit.MINUTES), "client finished");
        return new Run(p.exitValue(), out);
    }

    @Test
    void ogrinfoReadsWfs() throws Exception {
        Run r =
                run(
                        "ogrinfo",
                        "-ro",
                        "-so",
                        "-al",
                        "WFS:" + TestServer.base() + "/ows?VERSION=2.0.0",
                        "gridgov:grids");
        assertEquals(0, r.exit(), r.out());
        assertTrue(
                r.out().contains("Feature Count: ") && r.out().contains("code: String"), r.out());
        int count = Integer.parseInt(r.out().replaceAll("(?s).*Feature Count: (\\d+).*", "$1"));
        assertTrue(count > 10, r.out());
    }

    @Test
    void gdalTranslateRendersWms(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("grids.png");
        String url =
                "WMS:"
                        + TestServer.base()
                        + "/ows?SERVICE=WMS&VERSION=1.3.0&REQUEST=GetMap&LAYERS=grids&CRS=EPSG:4326&BBOX="
                        + "30.1569,120.2589,30.2217,120.3205&FORMAT=image/png";
        Run r = run("gdal_translate", "-of", "PNG", "-outsize", "256", "256", url, out.toString());
        assertEquals(0, r.exit(), r.out());
        var img = javax.imageio.ImageIO.read(out.toFile());
        assertTrue(Ogc.paintedPixels(img) > 256 * 256 / 10, "the map has content");
    }

    @Test
    void gdalTakesTheRootLayerAndTime(@TempDir Path dir) throws Exception {
        Run caps =
                run(
                        "gdalinfo",
                        "WMS:" + TestServer.base() + "/ows?SERVICE=WMS&REQUEST=GetCapabilities");
        assertEquals(0, caps.exit(), caps.out());
        String first = caps.out().replaceAll("(?s).*SUBDATASET_1_NAME=(\\S+).*", "$1").trim();
        assertTrue(first.contains("LAYERS=gridgov"), "the root layer comes first: " + first);
        Path root = dir.resolve("root.png");
        Run r =
                run(
                        "gdal_translate",
                        "-of",
                        "PNG",
                        "-outsize",
                        "300",
                        "200",
                        first,
                        root.toString());
        assertEquals(0, r.exit(), r.out());
        int painted = Ogc.paintedPixels(javax.imageio.ImageIO.read(root.toFile()));
        assertTrue(painted > 300 * 200 / 10, "the whole extent, drawn: " + painted);
        java.time.LocalDate today = java.time.LocalDate.now(java.time.ZoneOffset.UTC);
        String heat =
                "WMS:"
                        + TestServer.base()
                        + "/ows?SERVICE=WMS&VERSION=1.3.0&REQUEST=GetMap&LAYERS=heatmap&CRS=EPSG:4326"
                        + "&BBOX=30.16,120.26,30.22,120.32&FORMAT=image/png&TRANSPARENT=TRUE&TIME=";
        Path year = dir.resolve("year.png"), none = dir.resolve("none.png");
        Run a =
                run(
                        "gdal_translate",
                        "-of",
                        "PNG",
                        "-outsize",
                        "256",
                        "256",
                        heat + today.minusYears(1) + "/" + today,
                        year.toString());
        assertEquals(0, a.exit(), a.out());
        assertTrue(Ogc.paintedPixels(javax.imageio.ImageIO.read(year.toFile())) > 1000);
        Run b =
                run(
                        "gdal_translate",
                        "-of",
                        "PNG",
                        "-outsize",
                        "256",
                        "256",
                        heat + "2000-01",
                        none.toString());
        assertNotEquals(0, b.exit(), "a TIME outside the extent is an exception to GDAL too");
        assertTrue(b.out().contains("outside the extent"), b.out());
    }

    @Test
    void ogrinfoPagesThroughOgcApiFeatures(@TempDir Path dir) throws Exception {
        // A page size of 7 forces ogr through many "next" links: every grid exactly once.
        Path out = dir.resolve("grids.csv");
        Run r =
                run(
                        "ogr2ogr",
                        "-f",
                        "CSV",
                        out.toString(),
                        "OAPIF:" + TestServer.base() + "/ogc",
                        "grids",
                        "-oo",
                        "PAGE_SIZE=7",
                        "-select",
                        "code");
        assertEquals(0, r.exit(), r.out());
        List<String> codes = new ArrayList<>(Files.readAllLines(out));
        codes.remove(0);
        int expected = TestServer.get("/api/v1/grids").json().get("features").size();
        assertEquals(expected, codes.size(), "all grids, no page repeated");
        assertEquals(expected, codes.stream().distinct().count());
        Run info =
                run("ogrinfo", "-ro", "-so", "OAPIF:" + TestServer.base() + "/ogc", "communities");
        assertEquals(0, info.exit(), info.out());
        assertTrue(info.out().contains("Geometry: "), info.out());
    }

    @Test
    void ogr2ogrCopiesEveryRoadToGeoPackage(@TempDir Path dir) throws Exception {
        // GDAL 3.6 pages by 10 and follows the next links (keyset cursors) to the end
        Path out = dir.resolve("roads.gpkg");
        Run r =
                run(
                        "ogr2ogr",
                        "-f",
                        "GPKG",
                        out.toString(),
                        "OAPIF:" + TestServer.base() + "/ogc",
                        "roads");
        assertEquals(0, r.exit(), r.out());
        long matched =
                TestServer.get("/ogc/collections/roads/items?limit=1")
                        .json()
                        .get("numberMatched")
                        .asLong();
        Run sql =
                run(
                        "ogrinfo",
                        "-ro",
                        "-q",
                        out.toString(),
                        "-sql",
                        "SELECT count(*) AS n, count(DISTINCT fid) AS d FROM roads");
        assertEquals(0, sql.exit(), sql.out());
        assertTrue(sql.out().contains("n (Integer) = " + matched), sql.out());
        assertTrue(sql.out().contains("d (Integer) = " + matched), "no road twice: " + sql.out());
    }
}
