package org.gridgov.analytics;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Envelope;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.GeometryFactory;
import org.locationtech.jts.geom.prep.PreparedGeometry;
import org.locationtech.jts.geom.prep.PreparedGeometryFactory;
import org.locationtech.jts.io.ParseException;
import org.locationtech.jts.io.WKBReader;
import org.locationtech.jts.operation.union.UnaryUnionOp;

/**
 * The subdistricts in the planar CRS: the cells a hot spot analysis covers are the square cells
 * whose centre lies inside the caller's subdistrict — every subdistrict for a district-wide or
 * anonymous caller, the isolation rule of {@link PointFilter#subdistrictId()} — and inside the
 * bbox, when one is given. Empty cells count: Gi* compares each neighbourhood with the whole area.
 */
public final class StudyArea {

    private static final GeometryFactory GF = new GeometryFactory();
    private static final Geometry EMPTY = GF.createPolygon();
    private final DataSource ds;
    private final int srid;

    /** A shape prepared for point tests. */
    private record Shape(Geometry shape, PreparedGeometry prepared) {
        static Shape of(Geometry g) {
            return new Shape(g, PreparedGeometryFactory.prepare(g));
        }
    }

    /**
     * One reading of the jurisdiction table: every subdistrict together, each alone (by id), and
     * the district's extent; empty when there is no subdistrict yet.
     */
    private record Area(Shape all, Map<Long, Shape> each, Envelope districtExtent) {}

    private volatile Area area;

    private StudyArea(DataSource ds, int srid, Area area) {
        this.ds = ds;
        this.srid = srid;
        this.area = area;
    }

    /**
     * Reads the subdistricts; a new deployment has none until its boundary is imported (then the
     * study area is empty: no cells) and {@link #reload} reads it again.
     */
    public static StudyArea load(DataSource ds, int srid) throws SQLException {
        return new StudyArea(ds, srid, read(ds, srid));
    }

    /** Reads the subdistricts again (after a boundary import). */
    public void reload() throws SQLException {
        area = read(ds, srid);
    }

    private static Area read(DataSource ds, int srid) throws SQLException {
        Map<Long, Shape> each = new HashMap<>();
        try (Connection c = ds.getConnection();
                PreparedStatement ps =
                        c.prepareStatement(
                                """
                SELECT s.id, ST_AsBinary(ST_Transform(s.geom, ?::int)),
                       (SELECT ST_AsBinary(ST_Envelope(ST_Transform(ST_Collect(j.geom), ?::int))) FROM jurisdiction j)
                FROM jurisdiction s WHERE s.kind = 'SUBDISTRICT' ORDER BY s.code""")) {
            ps.setInt(1, srid);
            ps.setInt(2, srid);
            WKBReader wkb = new WKBReader();
            List<Geometry> parts = new ArrayList<>();
            Envelope extent = new Envelope();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Geometry g = wkb.read(rs.getBytes(2));
                    each.put(rs.getLong(1), Shape.of(g));
                    parts.add(g);
                    extent = wkb.read(rs.getBytes(3)).getEnvelopeInternal();
                }
            }
            Geometry all = parts.isEmpty() ? EMPTY : UnaryUnionOp.union(parts);
            return new Area(Shape.of(all), Map.copyOf(each), extent);
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
        Area now = area;
        Shape a =
                f.subdistrictId() == 0
                        ? now.all()
                        : now.each().getOrDefault(f.subdistrictId(), Shape.of(EMPTY));
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
