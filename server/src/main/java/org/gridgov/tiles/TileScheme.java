package org.gridgov.tiles;

/**
 * The XYZ tile scheme over Web Mercator (EPSG:3857) that /tiles serves and PostGIS's
 * ST_TileEnvelope computes: which tile at zoom z holds a longitude/latitude. A position is first
 * taken as a fraction of the world's width and height (0 at the west and north edges), so that the
 * tiles holding one point at every zoom cost one projection.
 */
public final class TileScheme {

    private TileScheme() {
    }

    static double fractionX(double lon) {
        return (lon + 180) / 360;
    }

    static double fractionY(double lat) {
        double r = Math.toRadians(lat);
        return (1 - Math.log(Math.tan(r) + 1 / Math.cos(r)) / Math.PI) / 2;
    }

    /** The tile column or row at zoom z of a fraction of the world. */
    static int index(int z, double fraction) {
        int n = 1 << z;
        return Math.max(0, Math.min(n - 1, (int) Math.floor(fraction * n)));
    }

    public static int x(int z, double lon) {
        return index(z, fractionX(lon));
    }

    public static int y(int z, double lat) {
        return index(z, fractionY(lat));
    }
}
