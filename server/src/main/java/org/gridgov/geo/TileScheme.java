package org.gridgov.geo;

/**
 * The XYZ tile scheme over Web Mercator (EPSG:3857) that /tiles serves and PostGIS's
 * ST_TileEnvelope computes: which tile at zoom z holds a longitude/latitude. A position is first
 * taken as a fraction of the world's width and height (0 at the west and north edges), so that the
 * tiles holding one point at every zoom cost one projection.
 */
public final class TileScheme {

    /** The deepest zoom /tiles serves. */
    public static final int MAX_ZOOM = 22;

    private TileScheme() {}

    /**
     * A tile coordinate from the request path ({z}, {x} or {y}), within min..max; 400 invalid-tile
     * otherwise.
     */
    public static int pathCoordinate(
            io.vertx.ext.web.RoutingContext ctx, String name, int min, int max) {
        String v = ctx.pathParam(name);
        try {
            int n = Integer.parseInt(v);
            if (n >= min && n <= max) return n;
        } catch (NumberFormatException ignored) {
            // below
        }
        throw new org.gridgov.api.ProblemException(
                org.gridgov.api.Problem.of(
                        400,
                        "invalid-tile",
                        "No such tile",
                        name + " must be a whole number from " + min + " to " + max,
                        name));
    }

    public static double fractionX(double lon) {
        return (lon + 180) / 360;
    }

    public static double fractionY(double lat) {
        double r = Math.toRadians(lat);
        return (1 - Math.log(Math.tan(r) + 1 / Math.cos(r)) / Math.PI) / 2;
    }

    /** The longitude of the west edge of tile column x at zoom z (x = 2^z: the east edge). */
    public static double lon(int z, int x) {
        return x / (double) (1 << z) * 360 - 180;
    }

    /** The latitude of the north edge of tile row y at zoom z (y may be fractional). */
    public static double lat(int z, double y) {
        double n = Math.PI - 2 * Math.PI * y / (1 << z);
        return Math.toDegrees(Math.atan(Math.sinh(n)));
    }

    /** The tile column or row at zoom z of a fraction of the world. */
    public static int index(int z, double fraction) {
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
