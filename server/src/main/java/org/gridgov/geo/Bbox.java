package org.gridgov.geo;

import org.gridgov.api.Problem;
import org.gridgov.api.ProblemException;

/** A longitude/latitude box in EPSG:4326, as the {@code bbox} query parameter gives it. */
public record Bbox(double minLon, double minLat, double maxLon, double maxLat) {

    /**
     * Parses {@code minLon,minLat,maxLon,maxLat} (OGC API order). Refuses anything else with a
     * problem naming the parameter.
     */
    public static Bbox parse(String parameter, String text) {
        String[] parts = text.split(",", -1);
        if (parts.length != 4) {
            throw bad(
                    parameter,
                    "expected 4 comma-separated numbers minLon,minLat,maxLon,maxLat, got "
                            + parts.length
                            + " part(s): '"
                            + text
                            + "'");
        }
        double[] v = new double[4];
        for (int i = 0; i < 4; i++) {
            try {
                v[i] = Double.parseDouble(parts[i].trim());
            } catch (NumberFormatException e) {
                throw bad(parameter, "'" + parts[i] + "' is not a number");
            }
            if (!Double.isFinite(v[i]))
                throw bad(parameter, "'" + parts[i] + "' is not a finite number");
        }
        Bbox b = new Bbox(v[0], v[1], v[2], v[3]);
        if (b.minLon < -180 || b.maxLon > 180)
            throw bad(parameter, "longitudes must lie in [-180, 180]");
        if (b.minLat < -90 || b.maxLat > 90)
            throw bad(parameter, "latitudes must lie in [-90, 90]");
        if (b.minLon > b.maxLon || b.minLat > b.maxLat)
            throw bad(parameter, "min must not exceed max (minLon,minLat,maxLon,maxLat)");
        return b;
    }

    private static ProblemException bad(String parameter, String detail) {
        return new ProblemException(
                Problem.of(
                        400, "invalid-bbox", "The bbox parameter is invalid", detail, parameter));
    }
}
