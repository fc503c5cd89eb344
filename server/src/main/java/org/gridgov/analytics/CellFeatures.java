package org.gridgov.analytics;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;
import org.locationtech.jts.io.WKBWriter;

/**
 * Turns cells (planar polygons plus their properties as JSON) into a GeoJSON FeatureCollection in
 * EPSG:4326. PostGIS does the transform (gridgov has no projection library of its own), once per
 * cell: a cell is a fixed place, so its EPSG:4326 outline is kept and reused by every later query
 * with the same shape and size.
 */
final class CellFeatures {

    private static final String TRANSFORM =
            """
            SELECT c.ord, ST_AsGeoJSON(ST_Transform(ST_GeomFromWKB(c.wkb, ?::int), 4326), 7)
            FROM unnest(?::bytea[]) WITH ORDINALITY AS c(wkb, ord)""";

    /** Outlines per tessellation (shape, size, CRS), per cell key; both levels bounded. */
    private static final Map<String, Map<Long, String>> OUTLINES = new ConcurrentHashMap<>();

    static final int MAX_TESSELLATIONS = 16;
    static final int MAX_OUTLINES = 200_000;

    private CellFeatures() {}

    static byte[] collection(
            DataSource ds, Cells cells, int srid, List<Long> keys, List<String> properties)
            throws SQLException {
        if (OUTLINES.size() >= MAX_TESSELLATIONS)
            OUTLINES.clear(); // crude, and rare: most screens use a few sizes
        Map<Long, String> outlines =
                OUTLINES.computeIfAbsent(
                        cells.shape() + "/" + cells.size() + "/" + srid,
                        k -> new ConcurrentHashMap<>());
        List<Long> missing = new ArrayList<>();
        for (long k : keys) if (!outlines.containsKey(k)) missing.add(k);
        if (outlines.size() + missing.size() > MAX_OUTLINES) outlines.clear();
        if (!missing.isEmpty()) transform(ds, cells, srid, missing, outlines);
        StringBuilder b = new StringBuilder(keys.size() * 260 + 100);
        b.append("{\"type\":\"FeatureCollection\",\"cellSize\":")
                .append(String.format(Locale.ROOT, "%s", cells.size()))
                .append(",\"shape\":\"")
                .append(cells.shape().name().toLowerCase(Locale.ROOT))
                .append("\",\"features\":[");
        for (int k = 0; k < keys.size(); k++) {
            if (k > 0) b.append(',');
            b.append("{\"type\":\"Feature\",\"geometry\":")
                    .append(outlines.get(keys.get(k)))
                    .append(",\"properties\":")
                    .append(properties.get(k))
                    .append('}');
        }
        return b.append("]}").toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void transform(
            DataSource ds, Cells cells, int srid, List<Long> keys, Map<Long, String> outlines)
            throws SQLException {
        WKBWriter wkb = new WKBWriter();
        byte[][] shapes = new byte[keys.size()][];
        for (int k = 0; k < keys.size(); k++) shapes[k] = wkb.write(cells.polygon(keys.get(k)));
        try (Connection c = ds.getConnection();
                PreparedStatement ps = c.prepareStatement(TRANSFORM)) {
            ps.setInt(1, srid);
            ps.setArray(2, c.createArrayOf("bytea", shapes));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) outlines.put(keys.get(rs.getInt(1) - 1), rs.getString(2));
            }
        }
    }
}
