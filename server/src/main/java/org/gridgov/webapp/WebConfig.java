package org.gridgov.webapp;

import java.net.URI;
import java.util.regex.Pattern;
import org.gridgov.api.Responses;

/**
 * What the web map needs to know before it draws: the area's extent and the optional external base
 * map. gridgov's own layers are the base map by default (no internet tiles); an XYZ or WMTS (KVP
 * with {z}/{x}/{y}) URL template — an OSM tile server, Tianditu with its key — may be laid under
 * them: GRIDGOV_BASEMAP_URL, GRIDGOV_BASEMAP_ATTRIBUTION.
 */
public record WebConfig(String baseMapUrl, String baseMapAttribution, double[] extent) {

    private static final Pattern PLACEHOLDERS =
            Pattern.compile("(?=.*\\{z\\})(?=.*\\{x\\})(?=.*\\{-?y\\}).*");

    public WebConfig {
        if (baseMapUrl != null) {
            URI uri;
            try {
                uri = URI.create(baseMapUrl.replaceAll("\\{[^}]*\\}", "0"));
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException("GRIDGOV_BASEMAP_URL is not a URL: " + baseMapUrl);
            }
            if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) {
                throw new IllegalStateException(
                        "GRIDGOV_BASEMAP_URL must be an http(s) URL, got " + baseMapUrl);
            }
            if (!PLACEHOLDERS.matcher(baseMapUrl).matches()) {
                throw new IllegalStateException(
                        "GRIDGOV_BASEMAP_URL must contain {z}, {x} and {y} (or {-y}), got "
                                + baseMapUrl);
            }
        }
        if (extent == null || extent.length != 4)
            throw new IllegalArgumentException("extent is minLon, minLat, maxLon, maxLat");
    }

    /**
     * The subdistrict's extent (its communities tile it), the map's first view; fallback when none
     * are loaded yet.
     */
    public static double[] subdistrictExtent(javax.sql.DataSource ds, double[] fallback) {
        try (var c = ds.getConnection();
                var st = c.createStatement();
                var rs =
                        st.executeQuery(
                                "SELECT ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e) FROM (SELECT ST_Extent(geom)::geometry AS e FROM community) x")) {
            rs.next();
            double minLon = rs.getDouble(1);
            return rs.wasNull()
                    ? fallback
                    : new double[] {minLon, rs.getDouble(2), rs.getDouble(3), rs.getDouble(4)};
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(
                    "cannot read the subdistrict's extent: " + e.getMessage(), e);
        }
    }

    /** The body of GET /api/v1/web-config. */
    byte[] json() {
        var n = Responses.JSON.createObjectNode();
        if (baseMapUrl == null) {
            n.putNull("baseMap");
        } else {
            var b = n.putObject("baseMap");
            b.put("url", baseMapUrl);
            b.put("attribution", baseMapAttribution);
        }
        var e = n.putArray("extent");
        for (double v : extent) e.add(v);
        n.put("defaultLanguage", "zh-CN");
        return n.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }
}
