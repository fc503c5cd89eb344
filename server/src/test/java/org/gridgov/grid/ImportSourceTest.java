package org.gridgov.grid;

import static org.junit.jupiter.api.Assertions.*;

import org.gridgov.api.ProblemException;
import org.junit.jupiter.api.Test;

/**
 * What an upload says it is, and the CRS checks made before a job starts (no database: the probe's
 * answer is given).
 */
class ImportSourceTest {

    static final double[] DEGREES = {120.6, 30.3, 120.8, 30.5};
    static final double[] METRES = {567_000, 3_366_000, 569_000, 3_368_000};

    static String type(Runnable r) {
        ProblemException e = assertThrows(ProblemException.class, r::run);
        return e.problem().status() + " " + e.problem().type().replaceFirst(".*/", "");
    }

    @Test
    void theClaimComesFromTheFileNameFirstThenTheContentType() {
        assertEquals(
                ImportInput.Format.GPKG,
                ImportInput.claimed("application/zip", "attachment; filename=\"单元.GPKG\""));
        assertEquals(
                ImportInput.Format.SHAPEFILE_ZIP, ImportInput.claimed("application/zip", null));
        assertEquals(
                ImportInput.Format.GEOJSON,
                ImportInput.claimed("application/geo+json; charset=utf-8", null));
        assertNull(ImportInput.claimed("application/octet-stream", null), "says nothing");
        assertNull(ImportInput.claimed(null, null));
        assertEquals(
                "415 unsupported-media-type",
                type(() -> ImportInput.claimed(null, "attachment; filename=units.shp")));
        assertEquals(
                "415 unsupported-media-type",
                type(() -> ImportInput.claimed(null, "attachment; filename=units.kml")));
    }

    @Test
    void aFileCrsOutsideTheOfferedOnesIsRefusedUnlessSrsOverridesIt() {
        assertEquals(
                "422 unsupported-crs",
                type(
                        () ->
                                ImportStaging.checkSource(
                                        new Ogr.Probe(3, 32651, true, METRES), 0, 4549)));
        for (int ok : new int[] {4490, 4549, 4326, 3857})
            ImportStaging.checkSource(
                    new Ogr.Probe(3, ok, true, ok == 4549 || ok == 3857 ? METRES : DEGREES),
                    0,
                    4549);
        // no CRS and no srs: left to the report (missing-crs)
        ImportStaging.checkSource(new Ogr.Probe(3, null, false, METRES), 0, 4549);
        ImportStaging.checkSource(new Ogr.Probe(3, 32651, true, METRES), 4549, 4549);
    }

    @Test
    void anSrsTheCoordinatesContradictIsRefused() {
        assertEquals(
                "422 wrong-crs",
                type(
                        () ->
                                ImportStaging.checkSource(
                                        new Ogr.Probe(3, null, false, METRES), 4490, 4549)));
        assertEquals(
                "422 wrong-crs",
                type(
                        () ->
                                ImportStaging.checkSource(
                                        new Ogr.Probe(3, null, false, DEGREES), 4549, 4549)));
        ImportStaging.checkSource(new Ogr.Probe(3, null, false, DEGREES), 4490, 4549);
        ImportStaging.checkSource(new Ogr.Probe(0, null, false, null), 4490, 4549);
    }
}
