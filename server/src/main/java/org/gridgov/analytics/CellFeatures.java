package org.gridgov.analytics;

import org.gridgov.geo.GeoJsonQuery;
import org.locationtech.jts.io.WKBWriter;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * Turns cells (planar polygons plus their properties as JSON) into a GeoJSON FeatureCollection in
 * EPSG:4326. PostGIS does the transform: gridgov has no projection library of its own.
 */
final class CellFeatures {

    private static final String SQL = """
            SELECT json_build_object('type', 'FeatureCollection', 'cellSize', ?::float8, 'shape', ?::text,
                       'features', coalesce(json_agg(json_build_object(
                           'type', 'Feature',
                           'geometry', ST_AsGeoJSON(ST_Transform(ST_GeomFromWKB(c.wkb, ?::int), 4326), 7)::json,
                           'properties', c.props::json) ORDER BY c.ord), '[]'))::text
            FROM unnest(?::bytea[], ?::text[]) WITH ORDINALITY AS c(wkb, props, ord)""";

    private CellFeatures() {
    }

    static byte[] collection(DataSource ds, Cells cells, int srid, List<Long> keys, List<String> properties) throws SQLException {
        WKBWriter wkb = new WKBWriter();
        byte[][] shapes = new byte[keys.size()][];
        for (int k = 0; k < keys.size(); k++) shapes[k] = wkb.write(cells.polygon(keys.get(k)));
        return GeoJsonQuery.run(ds, SQL, ps -> {
            Connection c = ps.getConnection();
            ps.setDouble(1, cells.size());
            ps.setString(2, cells.shape().name().toLowerCase());
            ps.setInt(3, srid);
            ps.setArray(4, c.createArrayOf("bytea", shapes));
            ps.setArray(5, c.createArrayOf("text", properties.toArray()));
        });
    }
}
