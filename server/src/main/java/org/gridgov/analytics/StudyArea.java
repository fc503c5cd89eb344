package org.gridgov.analytics;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Envelope;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.GeometryFactory;
import org.locationtech.jts.geom.prep.PreparedGeometry;
import org.locationtech.jts.geom.prep.PreparedGeometryFactory;
import org.locationtech.jts.io.ParseException;
import org.locationtech.jts.io.WKBReader;

/**
 * The subdistrict in the planar CRS: the cells a hot spot analysis covers are the square cells
 * whose centre lies inside it (and inside the bbox, when one is given). Empty cells count: Gi*
 * compares each neighbourhood with the whole area.
 */
public final class StudyArea {

    private static final GeometryFactory GF = new GeometryFactory();
    private final DataSource ds;
    private final int srid;

    /** One reading of the jurisdiction table; shape is empty when there is no subdistrict yet. */
    private record Shape(Geometry shape, PreparedGeometry prepared, Envelope districtExtent) {}

    private volatile Shape area;

    private StudyArea(DataSource ds, int srid, Shape area) {
        this.ds = ds;
        this.srid = srid;
        this.area = area;
    }

    /**
     * Reads the subdistrict; a new deployment has none until its boundary is imported (then the
     * study area is empty: no cells) and {@link #reload} reads it again.
     */
    public static StudyArea load(DataSource ds, int srid) throws SQLException {
        return new StudyArea(ds, srid, read(ds, srid));
    }

    /** Reads the subdistrict again (after a boundary import). */
    public void reload() throws SQLException {
        area = read(ds, srid);
    }

    private static Shape read(DataSource ds, int srid) throws SQLException {
        try (Connection c = ds.getConnection();
                PreparedStatement ps =
                        c.prepareStatement(
                                """
                SELECT ST_AsBinary(ST_Transform(s.geom, ?::int)),
                       (SELECT ST_AsBinary(ST_Envelope(ST_Transform(ST_Collect(j.geom), ?::int))) FROM jurisdiction j)
                FROM jurisdiction s WHERE s.kind = 'SUBDISTRICT'""")) {
            ps.setInt(1, srid);
            ps.setInt(2, srid);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    Geometry empty = GF.createPolygon();
                    return new Shape(empty, PreparedGeometryFactory.prepare(empty), new Envelope());
                }
                WKBReader wkb = new WKBReader();
                Geometry shape = wkb.read(rs.getBytes(1));
                return new Shape(
                        shape,
                        PreparedGeometryFactory.prepare(shape),
                        wkb.read(rs.getBytes(2)).getEnvelopeInternal());
            }
        } catch (ParseException e) {
            throw new SQLException("unreadable subdistrict geometry", e);
        }
    }

    /**
     * The planar area (m²) of the view: the district's extent, or its intersection with the bbox.
     */
    public double extentM2(PointFilter f) throws SQLException {
        Envelope env = area.districtExtent();
        if (f.hasBbox()) env = env.intersection(planar(f));
        return env.isNull() ? 0 : env.getArea();
    }

    /** Keys of the square cells of the study area, in key order. */
    public List<Long> cells(Cells cells, PointFilter f) throws SQLException {
        Shape a = area;
        Envelope env = a.shape().getEnvelopeInternal();
        if (f.hasBbox()) env = env.intersection(planar(f));
        List<Long> keys = new ArrayList<>();
        if (env.isNull()) return keys;
        double s = cells.size();
        int i0 = (int) Math.floor(env.getMinX() / s), i1 = (int) Math.floor(env.getMaxX() / s);
        int j0 = (int) Math.floor(env.getMinY() / s), j1 = (int) Math.floor(env.getMaxY() / s);
        for (int i = i0; i <= i1; i++) {
            for (int j = j0; j <= j1; j++) {
                double cx = (i + 0.5) * s, cy = (j + 0.5) * s;
                if (env.contains(cx, cy)
                        && a.prepared().covers(GF.createPoint(new Coordinate(cx, cy))))
                    keys.add(Cells.pack(i, j));
                if (keys.size() > AnalyticsRoutes.MAX_CELLS) return keys;
            }
        }
        return keys;
    }

    private Envelope planar(PointFilter f) throws SQLException {
        try (Connection c = ds.getConnection();
                PreparedStatement ps =
                        c.prepareStatement(
                                "SELECT ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e) FROM ST_Transform(ST_MakeEnvelope(?, ?, ?, ?, 4326), ?::int) e")) {
            ps.setDouble(1, f.minLon());
            ps.setDouble(2, f.minLat());
            ps.setDouble(3, f.maxLon());
            ps.setDouble(4, f.maxLat());
            ps.setInt(5, srid);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return new Envelope(
                        rs.getDouble(1), rs.getDouble(3), rs.getDouble(2), rs.getDouble(4));
            }
        }
    }
}
