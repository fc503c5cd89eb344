package org.gridgov.ogc.heatmap;

import static org.junit.jupiter.api.Assertions.*;

import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;
import org.gridgov.analytics.IncidentPoints;
import org.gridgov.live.Change;
import org.gridgov.ogc.catalog.Style;
import org.junit.jupiter.api.Test;

/**
 * The public heatmap counts 100 m cells in an array when the view's cells fit and in a map when
 * they do not: both give the same picture, cells under three left out.
 */
class PublicHeatmapCellsTest {

    static final Style STYLE =
            new Style(
                    "heat",
                    "heat",
                    List.of(),
                    List.of(
                            new Style.RampStop(0, "#ffffff00"),
                            new Style.RampStop(255, "#ff0000")));

    static Change at(long id, double lon, double lat) {
        return new Change(
                id,
                id,
                null,
                "REPORTED",
                null,
                "NEW",
                "A",
                org.gridgov.category.Platforms.CODES.get(0),
                7L,
                null,
                "NEW",
                1,
                lon,
                lat,
                0,
                0,
                1_700_000_000L,
                1L);
    }

    /** EPSG:3857 metres of a lon/lat. */
    static double[] mercator(double lon, double lat) {
        double r = 6378137;
        return new double[] {
            r * Math.toRadians(lon), r * Math.log(Math.tan(Math.PI / 4 + Math.toRadians(lat) / 2))
        };
    }

    static int painted(byte[] png) throws Exception {
        var img = ImageIO.read(new ByteArrayInputStream(png));
        int n = 0;
        for (int y = 0; y < img.getHeight(); y++)
            for (int x = 0; x < img.getWidth(); x++) if ((img.getRGB(x, y) >>> 24) != 0) n++;
        return n;
    }

    @Test
    void cellsCountedInAnArrayDrawWhatCellsCountedInAMapDraw() throws Exception {
        IncidentPoints points = new IncidentPoints(4549, List.of("A"));
        List<Change> changes = new ArrayList<>();
        Random r = new Random(7);
        long id = 1;
        // clusters (several cases within a cell or two) and scattered single cases
        for (int c = 0; c < 40; c++) {
            double lon = 120.2 + r.nextDouble() * 0.2, lat = 30.1 + r.nextDouble() * 0.2;
            for (int k = 0; k < 3 + r.nextInt(6); k++)
                changes.add(at(id++, lon + r.nextDouble() * 5e-4, lat + r.nextDouble() * 5e-4));
        }
        for (int k = 0; k < 500; k++)
            changes.add(at(id++, 120.2 + r.nextDouble() * 0.2, 30.1 + r.nextDouble() * 0.2));
        points.apply(changes);
        double[] lo = mercator(120.19, 30.09), hi = mercator(120.41, 30.31);
        HeatmapView view =
                new HeatmapView(
                        lo[0],
                        lo[1],
                        hi[0],
                        hi[1],
                        256,
                        256,
                        3857,
                        HeatmapFilter.NONE,
                        true,
                        true,
                        0);
        byte[] dense = new HeatmapRenderer(points, null, 4549, STYLE).render(view, true, 0);
        byte[] mapped = new HeatmapRenderer(points, null, 4549, STYLE, 0).render(view, true, 0);
        assertTrue(painted(dense) > 100, "the clusters are drawn: " + painted(dense));
        assertArrayEquals(mapped, dense, "the same picture either way");
        byte[] staff = new HeatmapRenderer(points, null, 4549, STYLE).render(view, false, 0);
        assertTrue(
                painted(staff) > painted(dense),
                "staff see the single cases the public picture leaves out");
    }
}
