package org.gridgov.tiles;

/**
 * The XYZ tile scheme over Web Mercator (EPSG:3857) that /tiles serves and PostGIS's
 * ST_TileEnvelope computes: which tile at zoom z holds a longitude/latitude.
 */
final class TileScheme {

    private TileScheme() {
    }

    static int x(int z, double lon) {
        int n = 1 << z;
        return Math.max(0, Math.min(n - 1, (int) Math.floor((lon + 180) / 360 * n)));
    }

    static int y(int z, double lat) {
        int n = 1 << z;
        double r = Math.toRadians(lat);
        return Math.max(0, Math.min(n - 1, (int) Math.floor((1 - Math.log(Math.tan(r) + 1 / Math.cos(r)) / Math.PI) / 2 * n)));
    }
}
