package org.gridgov.area;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.GeometryFactory;
import org.locationtech.jts.geom.Point;
import org.locationtech.jts.geom.prep.PreparedGeometry;
import org.locationtech.jts.geom.prep.PreparedGeometryFactory;
import org.locationtech.jts.io.ParseException;
import org.locationtech.jts.io.WKBReader;

/**
 * The subdistrict and the district service area around it, prepared for point tests at intake. A
 * report inside the subdistrict is ours; inside the district but outside the subdistrict it is
 * accepted and transferred to the district; beyond the district it is refused as out of area.
 */
public final class Jurisdictions {

    public enum Where {
        SUBDISTRICT,
        DISTRICT,
        OUTSIDE
    }

    private static final GeometryFactory GF = new GeometryFactory();

    /** One reading of the jurisdiction table; the shapes are null when no subdistrict exists. */
    private record Area(
            PreparedGeometry subdistrict,
            String subdistrictName,
            PreparedGeometry district,
            String districtName,
            String subdistrictCode) {}

    private final DataSource ds;
    private volatile Area area;

    private Jurisdictions(DataSource ds, Area area) {
        this.ds = ds;
        this.area = area;
    }

    /**
     * Reads the jurisdiction table. A new deployment has none yet (GRIDGOV_DEMO=off, before the
     * boundary is imported): then every point is OUTSIDE until {@link #reload} finds one.
     */
    public static Jurisdictions load(DataSource ds) throws SQLException {
        return new Jurisdictions(ds, read(ds));
    }

    /** Reads the table again (after a boundary import). */
    public void reload() throws SQLException {
        area = read(ds);
    }

    /** Whether a subdistrict has been loaded or imported. */
    public boolean present() {
        return area.subdistrict() != null;
    }

    private static Area read(DataSource ds) throws SQLException {
        PreparedGeometry sub = null, dist = null;
        String subName = null, distName = null, subCode = null;
        WKBReader wkb = new WKBReader();
        try (Connection c = ds.getConnection();
                Statement st = c.createStatement();
                ResultSet rs =
                        st.executeQuery(
                                "SELECT kind, name, ST_AsBinary(geom), code FROM jurisdiction")) {
            while (rs.next()) {
                PreparedGeometry g = PreparedGeometryFactory.prepare(wkb.read(rs.getBytes(3)));
                if ("SUBDISTRICT".equals(rs.getString(1))) {
                    sub = g;
                    subName = rs.getString(2);
                    subCode = rs.getString(4);
                } else {
                    dist = g;
                    distName = rs.getString(2);
                }
            }
        } catch (ParseException e) {
            throw new SQLException("unreadable jurisdiction geometry", e);
        }
        if (sub == null) return new Area(null, "the subdistrict", null, "the district", null);
        // Without a district service area, only the subdistrict itself is accepted.
        return new Area(
                sub,
                subName,
                dist == null ? sub : dist,
                distName == null ? subName : distName,
                subCode);
    }

    public Where locate(double lon, double lat) {
        Area a = area;
        if (a.subdistrict() == null) return Where.OUTSIDE;
        Point p = GF.createPoint(new Coordinate(lon, lat));
        if (a.subdistrict().covers(p)) return Where.SUBDISTRICT;
        if (a.district().covers(p)) return Where.DISTRICT;
        return Where.OUTSIDE;
    }

    /**
     * Why (lon, lat) is outside the service area, for an out-of-area answer: the service area, or
     * that there is none yet (an empty deployment before its boundary import, docs/onboarding.md).
     */
    public String outsideDetail(double lon, double lat) {
        Area a = area;
        String where = "(" + lon + ", " + lat + ")";
        if (a.subdistrict() == null)
            return where
                    + " cannot be placed: no boundary has been imported yet, so every location"
                    + " is refused until an admin imports one (POST /api/v1/imports?kind=boundary)";
        return where + " lies outside " + a.districtName();
    }

    /** False in an empty deployment, until its boundary is imported. */
    public boolean hasBoundary() {
        return area.subdistrict() != null;
    }

    public String subdistrictName() {
        return area.subdistrictName();
    }

    /**
     * The subdistrict's code (its administrative division code, e.g. 330108001), which Open311
     * clients give as jurisdiction_id; null before a boundary is imported.
     */
    public String subdistrictCode() {
        return area.subdistrictCode();
    }

    public String districtName() {
        return area.districtName();
    }
}
